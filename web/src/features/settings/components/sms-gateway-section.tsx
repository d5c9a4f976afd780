import { Alert, Button, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../api/get-settings';
import { useRotateGatewaySecret } from '../api/rotate-gateway-secret';
import { useSettingsSection } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';

/**
 * What the firm pastes into its SMS provider (the URLs for delivery reports and received SMS,
 * each with the firm's secret), a button that makes new ones, and the opt-out line every SMS
 * ends with.
 */
export function SmsGatewaySection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const rotate = useRotateGatewaySecret();
  const section = useSettingsSection<{ smsOptOutLine: string }>({
    settings,
    values: (s) => ({ smsOptOutLine: s.smsOptOutLine ?? '' }),
    toBody: (values) => ({ smsOptOutLine: values.smsOptOutLine === '' ? undefined : values.smsOptOutLine }),
    toPatch: (values, s) =>
      values.smsOptOutLine === (s.smsOptOutLine ?? '') ? undefined : { smsOptOutLine: values.smsOptOutLine === '' ? null : values.smsOptOutLine },
    fields: ['smsOptOutLine'],
    liveFields: ['smsOptOutLine'],
  });
  const urls = settings.smsGateway;
  return (
    <SettingsSection
      title={t('settings.smsGateway.title')}
      {...section}
      actions={
        urls && (
          <Button variant="default" loading={rotate.isPending} onClick={() => rotate.mutate()}>
            {t('settings.smsGateway.rotate')}
          </Button>
        )
      }
    >
      <Text>{t('settings.smsGateway.intro')}</Text>
      {urls ? (
        <>
          <TextInput label={t('settings.smsGateway.receiptUrl')} value={urls.receiptUrl} readOnly onFocus={(e) => e.currentTarget.select()} />
          <TextInput label={t('settings.smsGateway.inboundUrl')} value={urls.inboundUrl} readOnly onFocus={(e) => e.currentTarget.select()} />
        </>
      ) : (
        <Text size="sm">{t('settings.smsGateway.notYet')}</Text>
      )}
      {rotate.isSuccess && (
        <Text role="status" size="sm" fw={500}>
          {t('settings.smsGateway.rotated')}
        </Text>
      )}
      {rotate.isError && (
        <Alert color="red" variant="outline" role="alert">
          {t('settings.smsGateway.rotateFailed')}
        </Alert>
      )}
      <TextInput
        label={t('settings.smsGateway.optOutLine')}
        description={t('settings.smsGateway.optOutDescription')}
        w={{ base: '100%', sm: 400 }}
        {...section.form.getInputProps('smsOptOutLine')}
      />
    </SettingsSection>
  );
}
