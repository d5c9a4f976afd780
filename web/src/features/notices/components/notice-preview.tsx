import { Alert, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/components/states';
import { PreviewRequest as PreviewSchema } from '../../../../../shared/api/preview.schemas.ts';
import { useNoticePreview, type PreviewRequest } from '../api/preview-notice';
import type { Channel } from '../utils/notice-values';

interface PreviewProps {
  /** The task whose customer fills in the codes; none (a template): the catalogue's examples. */
  taskId?: string | undefined;
  channels: Channel[];
  subject: string;
  message: string;
}

/** The live preview: the notice filled in for this task and its customer (or with examples), one card per channel. */
export function NoticePreview(props: PreviewProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-labelledby="notice-preview-title">
      <Title order={3} id="notice-preview-title">
        {t('notices.preview.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: props.channels.length > 1 ? 2 : 1 }}>
        {props.channels.map((channel) => (
          <ChannelPreview key={channel} channel={channel} {...props} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function ChannelPreview({ taskId, channel, subject, message }: PreviewProps & { channel: Channel }) {
  const { t } = useTranslation();
  const request: PreviewRequest = { ...(taskId ? { taskId } : {}), channel, message, ...(channel === 'email' && subject.trim() ? { subject } : {}) };
  // Only a text the API would take is sent: the form shows why another one is refused.
  const valid = message.trim() !== '' && PreviewSchema.safeParse(request).success;
  const preview = useNoticePreview(valid ? request : undefined);
  const data = valid ? preview.data : undefined;
  return (
    <Card withBorder data-testid={`preview-${channel}`}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t(`notices.channels.${channel}`)}</Title>
        {valid && preview.isFetching && <Loader size="xs" aria-hidden />}
      </Group>
      {!valid ? (
        <Text c="dimmed">{t(message.trim() === '' ? 'notices.preview.waiting' : 'notices.preview.invalid')}</Text>
      ) : preview.isError ? (
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
      ) : !data ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : (
        <Stack gap="xs">
          {data.subject !== undefined && (
            <Text>
              <Text span fw={700}>
                {t('notices.preview.subject')}:
              </Text>{' '}
              {data.subject}
            </Text>
          )}
          <Text style={{ whiteSpace: 'pre-wrap' }} data-testid={`preview-${channel}-text`}>
            {data.text}
          </Text>
          {data.sms && (
            <Table variant="vertical" withTableBorder data-testid="sms-figures">
              <Table.Tbody>
                <Figure label={t('notices.preview.encoding')} value={data.sms.encoding} />
                <Figure label={t('notices.preview.characters')} value={String(data.sms.characters)} />
                <Figure label={t('notices.preview.units')} value={String(data.sms.units)} />
                <Figure
                  label={t('notices.preview.segments')}
                  value={t('notices.preview.segmentsOf', { segments: data.sms.segments, max: data.sms.maxSegments })}
                />
              </Table.Tbody>
            </Table>
          )}
          {data.sms && !data.sms.withinLimit && (
            <Alert color="red" variant="outline">
              {t('notices.preview.tooLong')}
            </Alert>
          )}
          {data.emptyCodes.length > 0 && (
            <Alert color="yellow" variant="outline" title={t('notices.preview.emptyCodesTitle')}>
              {t('notices.preview.emptyCodes', { codes: data.emptyCodes.map((code) => `{{${code}}}`).join(', ') })}
            </Alert>
          )}
        </Stack>
      )}
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Th w={140}>{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}
