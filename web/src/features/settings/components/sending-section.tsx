import { NumberInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../api/get-settings';
import { useSettingsSection } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';

const hours = (value: number | string) => (value === '' ? undefined : Number(value));

/** How late a notice held up by an outage may still go out. */
export function SendingSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const section = useSettingsSection<{ maxLatenessHours: number | string }>({
    settings,
    values: (s) => ({ maxLatenessHours: s.maxLatenessHours }),
    toBody: (values) => ({ maxLatenessHours: hours(values.maxLatenessHours) }),
    toPatch: (values, s) => {
      const value = hours(values.maxLatenessHours);
      return value === s.maxLatenessHours ? undefined : { maxLatenessHours: value ?? null };
    },
    fields: ['maxLatenessHours'],
  });
  return (
    <SettingsSection title={t('settings.sending.title')} {...section}>
      <NumberInput
        label={t('settings.sending.maxLatenessHours')}
        description={t('settings.sending.maxLatenessDescription')}
        allowDecimal={false}
        allowNegative={false}
        w={{ base: '100%', sm: 320 }}
        {...section.form.getInputProps('maxLatenessHours')}
      />
    </SettingsSection>
  );
}
