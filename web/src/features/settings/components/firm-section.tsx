import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../api/get-settings';
import { useSettingsSection } from '../hooks/use-settings-section';
import { filledValues, textPatch, textValues } from '../utils/merge-patch';
import { SettingsSection } from './settings-section';

const KEYS = ['name', 'email', 'phone'] as const;

/** The firm's name, e-mail and phone (merge codes {{firm.*}}; replies go to its e-mail). */
export function FirmSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const section = useSettingsSection({
    settings,
    values: (s) => ({ firm: textValues(KEYS, s.firm) }),
    toBody: (values) => ({ firm: filledValues(values.firm) }),
    toPatch: (values, s) => {
      const firm = textPatch(s.firm, values.firm);
      return firm && { firm };
    },
    fields: ['firm.name', 'firm.email', 'firm.phone'],
  });
  const { form } = section;
  return (
    <SettingsSection title={t('settings.firm.title')} {...section}>
      <TextInput label={t('settings.firm.name')} autoComplete="organization" {...form.getInputProps('firm.name')} />
      <TextInput label={t('settings.firm.email')} type="email" autoComplete="email" {...form.getInputProps('firm.email')} />
      <TextInput label={t('settings.firm.phone')} type="tel" autoComplete="tel" {...form.getInputProps('firm.phone')} />
    </SettingsSection>
  );
}
