import { Switch, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../api/get-settings';
import { useSettingsSection, type SectionPatch } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';

interface SenderValues extends Record<string, unknown> {
  smsSender: string;
  smsSenderActivated: boolean;
}

/**
 * The SMS sender the firm asked the provider for, with the 11-character rule checked as the
 * user types (the API's own `sms-sender` rule), whether it is activated, and what SMS show
 * until it is.
 */
export function SmsSenderSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const section = useSettingsSection<SenderValues>({
    settings,
    values: (s) => ({ smsSender: s.smsSender ?? '', smsSenderActivated: s.smsSenderActivated }),
    toBody: (values) => ({ smsSender: values.smsSender === '' ? undefined : values.smsSender, smsSenderActivated: values.smsSenderActivated }),
    toPatch: (values, s) => {
      const patch: SectionPatch = {};
      if (values.smsSender !== (s.smsSender ?? '')) patch.smsSender = values.smsSender === '' ? null : values.smsSender;
      if (values.smsSenderActivated !== s.smsSenderActivated) patch.smsSenderActivated = values.smsSenderActivated;
      return Object.keys(patch).length > 0 ? patch : undefined;
    },
    fields: ['smsSender', 'smsSenderActivated'],
    liveFields: ['smsSender'],
  });
  const { form } = section;
  const inUse = settings.smsSenderActivated && settings.smsSender;
  return (
    <SettingsSection title={t('settings.smsSender.title')} {...section}>
      <TextInput
        label={t('settings.smsSender.label')}
        description={`${t('settings.smsSender.description')} ${t('settings.smsSender.count', { count: form.values.smsSender.length })}`}
        w={{ base: '100%', sm: 400 }}
        {...form.getInputProps('smsSender')}
      />
      <Switch label={t('settings.smsSender.activated')} {...form.getInputProps('smsSenderActivated', { type: 'checkbox' })} />
      <Text size="sm" data-testid="sms-sender-in-use">
        {inUse
          ? t('settings.smsSender.inUse', { sender: settings.smsSender })
          : t('settings.smsSender.defaultUntilActivated', { sender: settings.smsDefaultSender })}
      </Text>
    </SettingsSection>
  );
}
