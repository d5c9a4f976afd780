import { Alert, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { UnreadableTaskIds } from '@/components/unreadable-task-ids';

/**
 * The task's stored item is damaged (the API answers 500 `stored-task-unreadable`): said as it
 * is, with its id for the operator, and no "try again", which would only answer the same.
 */
export function TaskUnreadable({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('task.unreadable.title')} role="alert" variant="outline" data-testid="task-unreadable">
      <Stack gap="xs">
        <Text>{t('task.unreadable.body')}</Text>
        <UnreadableTaskIds ids={[taskId]} label={t('task.unreadable.title')} />
      </Stack>
    </Alert>
  );
}
