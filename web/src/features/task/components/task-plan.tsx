import { Badge, List, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatDateTime } from '@/utils/format-date';
import { useTaskPlan, type Task } from '../api/task-queries';
import { channelWords, movedWords, noticeTiming, reasonWords } from '../utils/notice-words';

const STATE_COLOR = { scheduled: 'blue.9', past: 'gray.7', stopped: 'violet.9' } as const;

/** The Plan tab: when each occurrence goes out (in the zone the plan was made in), and what became of it. */
export function TaskPlan({ task }: { task: Task }) {
  const { t } = useTranslation();
  const plan = useTaskPlan(task.id);
  if (plan.isPending) return <LoadingState />;
  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  const { occurrences, timeZone } = plan.data;
  if (occurrences.length === 0) return <EmptyState message={t('task.plan.empty')} />;
  const noticeNumber = new Map(task.notices.map((notice, index) => [notice.id, { n: index + 1, notice }]));

  return (
    <Stack gap="sm">
      <Text>{t('task.timeZone', { zone: timeZone })}</Text>
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Caption>{t('task.plan.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('task.plan.columns.at')}</Table.Th>
              <Table.Th scope="col">{t('task.plan.columns.notice')}</Table.Th>
              <Table.Th scope="col">{t('task.plan.columns.channels')}</Table.Th>
              <Table.Th scope="col">{t('task.plan.columns.state')}</Table.Th>
              <Table.Th scope="col">{t('task.plan.columns.deliveries')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {occurrences.map((occurrence) => {
              const known = noticeNumber.get(occurrence.noticeId);
              return (
                <Table.Tr key={`${occurrence.noticeId}-${occurrence.repetition}-${occurrence.at}`}>
                  <Table.Td>
                    {formatDateTime(occurrence.at, timeZone)}
                    {occurrence.movedFrom && (
                      <Text size="sm">
                        {t('task.plan.movedFrom', { at: formatDateTime(occurrence.movedFrom, timeZone), why: movedWords(occurrence.movedBecause ?? [], t) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {known ? `${t('task.notice.label', { n: known.n })}: ${noticeTiming(known.notice, t)}` : occurrence.noticeId}
                    {occurrence.repetition > 0 && <Text size="sm">{t('task.notice.repetition', { n: occurrence.repetition })}</Text>}
                  </Table.Td>
                  <Table.Td>{channelWords(occurrence.channels, t)}</Table.Td>
                  <Table.Td>
                    <Badge variant="filled" color={STATE_COLOR[occurrence.state]}>
                      {t(`task.plan.state.${occurrence.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {occurrence.deliveries.length === 0 ? (
                      t('task.plan.notHandled')
                    ) : (
                      <List size="sm" listStyleType="none">
                        {occurrence.deliveries.map((delivery) => (
                          <List.Item key={delivery.channel}>
                            {`${t(`task.channels.${delivery.channel}`)}: ${t(`task.deliveryState.${delivery.state}`)}`}
                            {delivery.reason ? ` – ${reasonWords(delivery, t)}` : ''}
                          </List.Item>
                        ))}
                      </List>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
