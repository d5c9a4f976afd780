import { Anchor, Stack, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPager, useCursorPages } from '@/components/cursor-pager';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatDateTime, formatDeadline } from '@/utils/format-date';
import { useCustomerTasks } from '../api/get-customer-tasks';

/** The customer's tasks by deadline; each opens the task page. */
export function CustomerTasks({ customerId, timeZone }: { customerId: string; timeZone: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const tasks = useCustomerTasks(customerId, pages.cursor);
  if (tasks.isPending) return <LoadingState />;
  if (tasks.isError) return <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />;
  if (tasks.data.items.length === 0) return <EmptyState message={t('customerScreens.tasks.empty')} />;
  return (
    <Stack gap="sm">
      <Table striped highlightOnHover aria-busy={tasks.isPlaceholderData}>
        <Table.Caption>{t('customerScreens.tasks.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('customerScreens.tasks.columns.title')}</Table.Th>
            <Table.Th scope="col">{t('customerScreens.tasks.columns.deadline')}</Table.Th>
            <Table.Th scope="col">{t('customerScreens.tasks.columns.status')}</Table.Th>
            <Table.Th scope="col">{t('customerScreens.tasks.columns.nextNotice')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.data.items.map((task) => (
            <Table.Tr key={task.id}>
              <Table.Td>
                <Anchor component={Link} to={`/tasks/${task.id}`}>
                  {task.title}
                </Anchor>
              </Table.Td>
              <Table.Td>{task.deadline ? formatDeadline(task.deadline, timeZone) : t('customerScreens.tasks.noDeadline')}</Table.Td>
              <Table.Td>{t(`customerScreens.tasks.status.${task.status}`)}</Table.Td>
              <Table.Td>{task.nextNoticeAt ? formatDateTime(task.nextNoticeAt, timeZone) : t('customerScreens.tasks.none')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <CursorPager pages={pages} nextCursor={tasks.data.nextCursor} />
    </Stack>
  );
}
