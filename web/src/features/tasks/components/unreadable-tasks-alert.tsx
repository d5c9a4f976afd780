import { Alert, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { UnreadableTaskIds } from '@/components/unreadable-task-ids';

/**
 * Tasks of the register whose stored item is damaged: the API leaves them out of the rows and
 * names them (`unreadable`). Said above the list, so no one takes a short list for the whole,
 * with the ids the operator needs.
 */
export function UnreadableTasksAlert({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  if (!ids.length) return null;
  return (
    <Alert color="orange" variant="outline" role="alert" title={t('tasks.register.unreadable.title', { count: ids.length })} data-testid="unreadable-tasks">
      <Stack gap="xs">
        <Text>{t('tasks.register.unreadable.body', { count: ids.length })}</Text>
        <UnreadableTaskIds ids={ids} label={t('tasks.register.unreadable.ids')} />
      </Stack>
    </Alert>
  );
}
