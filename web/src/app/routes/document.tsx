import { Button, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { SentCopy } from '@/features/documents';
import { useFirmTimeZone } from '@/features/settings';

/** One sent copy from the document center (the task page's delivery log links here too). */
export default function DocumentRoute() {
  const { t } = useTranslation();
  const { documentId = '' } = useParams();
  const navigate = useNavigate();
  const timeZone = useFirmTimeZone();
  return (
    <Stack gap="md">
      <div>
        <Button variant="subtle" px={0} onClick={() => void navigate(-1)}>
          {t('documents.view.back')}
        </Button>
      </div>
      <Title order={1}>{t('documents.view.title')}</Title>
      <SentCopy documentId={documentId} timeZone={timeZone} />
    </Stack>
  );
}
