import { Anchor, Badge, Group, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ReceiptBadge } from '@/components/receipt-badge';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatDateTime } from '@/utils/format-date';
import { useTaskDeliveries, type Task } from '../api/task-queries';
import { reasonWords } from '../utils/notice-words';

const STATE_COLOR = { pending: 'blue.9', sent: 'teal.9', skipped: 'gray.7', failed: 'red.9' } as const;

/**
 * The Utsendelser tab: every occurrence and channel, sent / skipped why / failed why, whether
 * the provider reported it delivered, with a link to the copy sent.
 */
export function TaskDeliveries({ task, timeZone }: { task: Task; timeZone: string }) {
  const { t } = useTranslation();
  const deliveries = useTaskDeliveries(task.id);
  if (deliveries.isPending) return <LoadingState />;
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.data.items.length === 0) return <EmptyState message={t('task.deliveries.empty')} />;

  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped>
        <Table.Caption>{t('task.deliveries.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('task.deliveries.columns.occurrence')}</Table.Th>
            <Table.Th scope="col">{t('task.deliveries.columns.channel')}</Table.Th>
            <Table.Th scope="col">{t('task.deliveries.columns.state')}</Table.Th>
            <Table.Th scope="col">{t('task.deliveries.columns.reason')}</Table.Th>
            <Table.Th scope="col">{t('task.deliveries.columns.sentAt')}</Table.Th>
            <Table.Th scope="col">{t('task.deliveries.columns.attempts')}</Table.Th>
            <Table.Th scope="col">{t('task.deliveries.columns.copy')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deliveries.data.items.map((delivery) => {
            const channel = t(`task.channels.${delivery.channel}`);
            const sentAt = delivery.sentAt ? formatDateTime(delivery.sentAt, timeZone) : '';
            return (
              <Table.Tr key={delivery.id}>
                <Table.Td>{formatDateTime(delivery.occurrenceAt, timeZone)}</Table.Td>
                <Table.Td>{channel}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Badge variant="filled" color={STATE_COLOR[delivery.state]}>
                      {t(`task.deliveryState.${delivery.state}`)}
                    </Badge>
                    <ReceiptBadge receipt={delivery.receipt} timeZone={timeZone} />
                    {delivery.possibleDuplicate && (
                      <Badge variant="filled" color="grape.9">
                        {t('task.deliveries.possibleDuplicate')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{reasonWords(delivery, t)}</Table.Td>
                <Table.Td>{sentAt}</Table.Td>
                <Table.Td>{delivery.attempts}</Table.Td>
                <Table.Td>
                  {delivery.documentId && (
                    <Anchor
                      component={Link}
                      to={`/documents/${encodeURIComponent(delivery.documentId)}`}
                      aria-label={t('task.deliveries.copyLabel', { channel, at: sentAt })}
                    >
                      {t('task.deliveries.copy')}
                    </Anchor>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
