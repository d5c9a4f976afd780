import { Anchor, Skeleton, Stack, Table, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPager, useCursorPages } from '@/components/cursor-pager';
import { ReceiptBadge } from '@/components/receipt-badge';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
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
  if (documents.isPending) return <LoadingState />;
  if (documents.isError) return <ErrorState error={documents.error} onRetry={() => void documents.refetch()} />;
  if (documents.data.items.length === 0) return <EmptyState message={t('documents.list.empty')} />;
  const kilobytes = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'nb-NO', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return (
    <Stack gap="sm">
      <Table striped highlightOnHover aria-busy={documents.isPlaceholderData}>
        <Table.Caption>{t('documents.list.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('documents.list.columns.sentAt')}</Table.Th>
            <Table.Th scope="col">{t('documents.list.columns.channel')}</Table.Th>
            <Table.Th scope="col">{t('documents.list.columns.receipt')}</Table.Th>
            <Table.Th scope="col">{t('documents.list.columns.task')}</Table.Th>
            <Table.Th scope="col">{t('documents.list.columns.size')}</Table.Th>
            <Table.Th scope="col">{t('documents.list.columns.open')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {documents.data.items.map((document) => {
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
          })}
        </Table.Tbody>
      </Table>
      <CursorPager pages={pages} nextCursor={documents.data.nextCursor} />
    </Stack>
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
