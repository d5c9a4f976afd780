import { Anchor, Skeleton, Table, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PagedTable, useCursorPages } from '@/components/cursor-pager';
import { ReceiptBadge } from '@/components/receipt-badge';
import { formatDateTime } from '@/utils/format-date';
import { useCustomerDocuments, useTaskTitle } from '../api/get-documents';

/**
 * The customer's document center: every sent copy, newest first, with whether it was
 * delivered (when the provider reported); each opens as the message or the SMS record.
 */
export function CustomerDocuments({ customerId, timeZone }: { customerId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const pages = useCursorPages();
  const documents = useCustomerDocuments(customerId, pages.cursor);
  const kilobytes = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'nb-NO', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return (
    <PagedTable
      query={documents}
      pages={pages}
      caption={t('documents.list.caption')}
      columns={(['sentAt', 'channel', 'receipt', 'task', 'size', 'open'] as const).map((column) => t(`documents.list.columns.${column}`))}
      empty={t('documents.list.empty')}
      row={(document) => {
        const sentAt = formatDateTime(document.sentAt, timeZone);
        const channel = t(`documents.channel.${document.channel}`);
        return (
          <Table.Tr key={document.id}>
            <Table.Td>{sentAt}</Table.Td>
            <Table.Td>{channel}</Table.Td>
            <Table.Td>
              <ReceiptBadge receipt={document.receipt} timeZone={timeZone} />
            </Table.Td>
            <Table.Td>
              <TaskLink taskId={document.taskId} />
            </Table.Td>
            <Table.Td>{t('documents.list.size', { size: kilobytes.format(document.size / 1024) })}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/documents/${document.id}`} aria-label={t('documents.list.openLabel', { sentAt, channel })}>
                {t('documents.list.open')}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        );
      }}
    />
  );
}

function TaskLink({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const title = useTaskTitle(taskId);
  if (title.isPending) {
    return (
      <>
        <Skeleton height={12} width={120} radius="sm" aria-hidden />
        <VisuallyHidden>{t('common.loading')}</VisuallyHidden>
      </>
    );
  }
  return (
    <Anchor component={Link} to={`/tasks/${taskId}`}>
      {title.data ?? t('documents.list.task')}
    </Anchor>
  );
}
