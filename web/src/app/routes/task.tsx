import { Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '@/components/states';
import { NoticesTab } from '@/features/notices';
import { unwrap, useApi } from '@/lib/api';

/** The task page, reduced to its notices tab (`/tasks/:id?tab=notices`) until the task feature's page replaces it. */
export default function TaskRoute() {
  const { t } = useTranslation();
  const { taskId = '' } = useParams();
  const api = useApi();
  const queryClient = useQueryClient();
  const queryKey = ['tasks', 'one', taskId];
  const task = useQuery({ queryKey, queryFn: ({ signal }) => unwrap(api.GET('/tasks/{id}', { params: { path: { id: taskId } }, signal })) });
  return (
    <Stack>
      <Title order={1}>{t('tasks.placeholder.title')}</Title>
      {task.isPending ? (
        <LoadingState />
      ) : task.isError ? (
        <ErrorState error={task.error} onRetry={() => void task.refetch()} />
      ) : (
        <>
          <Text fw={600}>{task.data.title}</Text>
          <NoticesTab task={task.data} onSaved={(saved) => queryClient.setQueryData(queryKey, saved)} />
        </>
      )}
    </Stack>
  );
}
