import { Anchor, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PagedTable, useCursorPages } from '@/components/cursor-pager';
import { formatDateTime, formatDeadline } from '@/utils/format-date';
import { useCustomerTasks } from '../api/get-customer-tasks';

/** The customer's tasks by deadline; each opens the task page. */
export function CustomerTasks({ customerId, timeZone }: { customerId: string; timeZone: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const tasks = useCustomerTasks(customerId, pages.cursor);
  return (
    <PagedTable
      query={tasks}
      pages={pages}
      caption={t('customerScreens.tasks.caption')}
      columns={(['title', 'deadline', 'status', 'nextNotice'] as const).map((column) => t(`customerScreens.tasks.columns.${column}`))}
      empty={t('customerScreens.tasks.empty')}
      row={(task) => (
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
      )}
    />
  );
}
