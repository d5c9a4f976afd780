import { Card, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@/components/states';
import type { components } from '@/lib/api';

type Task = components['schemas']['Task'];

/** The task's notices, read-only (the editor replaces this). */
export function NoticesTab({ task }: { task: Task; onSaved?: (task: Task) => void }) {
  const { t } = useTranslation();
  if (task.notices.length === 0) return <EmptyState message={t('task.notice.empty')} />;
  return (
    <Stack gap="sm">
      {task.notices.map((notice, index) => (
        <Card key={notice.id} withBorder component="section" aria-label={t('task.notice.label', { n: index + 1 })}>
          <Text fw={600}>{`${t('task.notice.label', { n: index + 1 })}: ${t(`task.notice.${notice.when}`, { offset: notice.offset })}`}</Text>
          <Text size="sm">{`${t('task.notice.channels')}: ${notice.channels.map((channel) => t(`task.channels.${channel}`)).join(', ')}`}</Text>
          {notice.subject && <Text size="sm">{`${t('task.notice.subject')}: ${notice.subject}`}</Text>}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {notice.message}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
