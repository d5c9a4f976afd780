import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '@/components/states';
import { useSettings } from '../api/get-settings';
import { EmailSenderSection } from './email-sender-section';
import { FirmSection } from './firm-section';
import { SendingSection } from './sending-section';
import { SmsAccountSection } from './sms-account-section';
import { SmsLimitsSection } from './sms-limits-section';
import { SmsGatewaySection } from './sms-gateway-section';
import { SmsSenderSection } from './sms-sender-section';
import { TimeZoneSection } from './time-zone-section';
import { WebhooksSection } from './webhooks-section';

/** The firm's settings, a section at a time; a re-plan after a change of zone is followed as it goes. */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings({ followReplan: true });
  return (
    <Stack gap="md" maw={760}>
      <Title order={1}>{t('settings.title')}</Title>
      <Text>{t('settings.intro')}</Text>
      {settings.isPending ? (
        <LoadingState />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <>
          <FirmSection settings={settings.data} />
          <TimeZoneSection settings={settings.data} />
          <EmailSenderSection settings={settings.data} />
          <SmsAccountSection settings={settings.data} />
          <SmsSenderSection settings={settings.data} />
          <SmsLimitsSection settings={settings.data} />
          <SmsGatewaySection settings={settings.data} />
          <SendingSection settings={settings.data} />
          <WebhooksSection />
        </>
      )}
    </Stack>
  );
}
