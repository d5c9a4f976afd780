import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Email } from 'postal-mime';
import { ErrorState, LoadingState } from '@/components/states';
import { formatDateTime } from '@/utils/format-date';
import { formatPhoneForReaders } from '../../../../../shared/domain/phone.ts';
import { useSentCopy, type SmsDocument } from '../api/get-document';
import { formatAddresses, frameDocument } from '../utils/parse-email';

/** One sent copy: an e-mail shown as the message (its HTML in a sandboxed frame), an SMS as its record. */
export function SentCopy({ documentId, timeZone }: { documentId: string; timeZone: string }) {
  const { t } = useTranslation();
  const copy = useSentCopy(documentId);
  if (copy.isPending) return <LoadingState />;
  if (copy.isError) return <ErrorState error={copy.error} onRetry={() => void copy.refetch()} />;
  return copy.data.kind === 'email' ? (
    <EmailCopy email={copy.data.email} raw={copy.data.raw} documentId={documentId} timeZone={timeZone} />
  ) : (
    <Stack gap="md">
      <Title order={2}>{t('documents.view.smsTitle')}</Title>
      <SmsRecord sms={copy.data.sms} />
    </Stack>
  );
}

function Fields({ rows }: { rows: [label: string, value: string | undefined][] }) {
  return (
    <Table variant="vertical" withTableBorder layout="fixed">
      <Table.Tbody>
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={160} scope="row">
                {label}
              </Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  );
}

function EmailCopy({ email, raw, documentId, timeZone }: { email: Email; raw: Blob; documentId: string; timeZone: string }) {
  const { t } = useTranslation();
  const date = email.date && !Number.isNaN(Date.parse(email.date)) ? formatDateTime(email.date, timeZone) : email.date;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('documents.view.emailTitle')}</Title>
        <DownloadEml raw={raw} documentId={documentId} />
      </Group>
      <Fields
        rows={[
          [t('documents.view.from'), formatAddresses(email.from)],
          [t('documents.view.to'), formatAddresses(email.to)],
          [t('documents.view.replyTo'), formatAddresses(email.replyTo)],
          [t('documents.view.subject'), email.subject],
          [t('documents.view.date'), date],
        ]}
      />
      <Title order={3}>{t('documents.view.text')}</Title>
      <Card withBorder>
        <Text component="pre" style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }} data-testid="email-text">
          {email.text ?? t('documents.view.noText')}
        </Text>
      </Card>
      <Title order={3}>{t('documents.view.html')}</Title>
      {email.html ? (
        <iframe
          title={t('documents.view.htmlFrame')}
          // No allow-scripts, no allow-same-origin: the HTML runs nothing and reaches nothing of the app.
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={frameDocument(email.html)}
          style={{ width: '100%', height: 360, border: '1px solid var(--mantine-color-gray-4)', background: 'white' }}
        />
      ) : (
        <Text>{t('documents.view.noHtml')}</Text>
      )}
    </Stack>
  );
}

function DownloadEml({ raw, documentId }: { raw: Blob; documentId: string }) {
  const { t } = useTranslation();
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([raw], { type: 'message/rfc822' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [raw]);
  return (
    <Button component="a" variant="default" href={href} download={`${documentId}.eml`}>
      {t('documents.view.download')}
    </Button>
  );
}

function SmsRecord({ sms }: { sms: SmsDocument }) {
  const { t } = useTranslation();
  return (
    <Fields
      rows={[
        [t('documents.view.sender'), sms.sender],
        [t('documents.view.recipient'), formatPhoneForReaders(sms.recipient)],
        [t('documents.view.text'), sms.text],
        [t('documents.view.encoding'), sms.encoding],
        [t('documents.view.segments'), String(sms.segments)],
        [t('documents.view.providerId'), sms.providerId],
      ]}
    />
  );
}
