import { Anchor, Badge, Group, Table, VisuallyHidden } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { AttentionMark } from '@/components/attention-mark';
import { ClockMark } from '@/components/clock-mark';
import { formatDateTime, formatDeadline } from '@/utils/format-date';
import type { Task } from '../api/get-tasks';

type Attention = NonNullable<Task['attention']>;

/** Why the mark is there, in words: the channel and what the firm can do about it. */
function attentionLabel(attention: Attention, t: TFunction): string {
  const known = ['no-address', 'opted-out', 'suppressed', 'country-not-allowed', 'rate-limited', 'no-sms-account'] as const;
  const reason = known.find((code) => code === attention.code) ?? 'failed';
  return t('tasks.register.attention.label', {
    channel: t(`tasks.register.attention.channels.${attention.channel}`),
    reason: t(`tasks.register.attention.reasons.${reason}`),
  });
}

/**
 * One page of tasks. The title is a link (Tab reaches it, Enter opens the task); a click
 * anywhere on the row opens it too. Sorted by deadline, as the API returns them.
 */
export function TaskTable({ tasks, timeZone, busy }: { tasks: Task[]; timeZone: string; busy: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover striped aria-busy={busy} style={{ opacity: busy ? 0.6 : 1 }}>
        <Table.Caption>{t('tasks.register.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('tasks.register.columns.title')}</Table.Th>
            <Table.Th scope="col">{t('tasks.register.columns.customer')}</Table.Th>
            <Table.Th scope="col" aria-sort="ascending">
              {t('tasks.register.columns.deadline')} <span aria-hidden>↑</span>
              <VisuallyHidden>{t('tasks.register.sortedAscending')}</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col">{t('tasks.register.columns.status')}</Table.Th>
            <Table.Th scope="col">{t('tasks.register.columns.notices')}</Table.Th>
            <Table.Th scope="col">{t('tasks.register.columns.nextNotice')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id} onClick={() => void navigate(`/tasks/${encodeURIComponent(task.id)}`)} style={{ cursor: 'pointer' }}>
              <Table.Td>
                <Anchor component={Link} to={`/tasks/${encodeURIComponent(task.id)}`} onClick={(e) => e.stopPropagation()}>
                  {task.title}
                </Anchor>
              </Table.Td>
              <Table.Td>{task.customerName ?? t('customers.unknown')}</Table.Td>
              <Table.Td>{task.deadline ? formatDeadline(task.deadline, timeZone) : t('tasks.register.noDeadline')}</Table.Td>
              <Table.Td>
                <Badge variant="outline" color={task.status === 'open' ? 'blue' : 'gray'}>
                  {t(`tasks.status.${task.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  {task.hasNotices ? <ClockMark label={t('tasks.register.hasNoticesMark')} /> : null}
                  {task.attention ? <AttentionMark label={attentionLabel(task.attention, t)} /> : null}
                </Group>
              </Table.Td>
              <Table.Td>{task.nextNoticeAt ? formatDateTime(task.nextNoticeAt, timeZone) : t('tasks.register.noNextNotice')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
