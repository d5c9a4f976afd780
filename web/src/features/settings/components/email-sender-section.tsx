import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../api/get-settings';
import { useSettingsSection } from '../hooks/use-settings-section';
import { filledValues, textPatch, textValues } from '../utils/merge-patch';
import { SettingsSection } from './settings-section';

const KEYS = ['from', 'replyTo', 'displayName'] as const;

/** The address e-mail notices come from; without a reply-to, replies go to the firm's e-mail. */
export function EmailSenderSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const section = useSettingsSection({
    settings,
    values: (s) => ({ emailSender: textValues(KEYS, s.emailSender) }),
    toBody: (values) => {
      const filled = filledValues(values.emailSender);
      return Object.keys(filled).length > 0 ? { emailSender: filled } : {};
    },
    toPatch: (values, s) => {
      if (s.emailSender && Object.keys(filledValues(values.emailSender)).length === 0) return { emailSender: null };
      const patch = textPatch(s.emailSender, values.emailSender);
      // The sender address cannot be removed alone: an empty one is refused at its field.
      return patch && { emailSender: { ...patch, from: patch.from === null ? '' : patch.from } };
    },
    fields: ['emailSender.from', 'emailSender.replyTo', 'emailSender.displayName'],
  });
  const { form } = section;
  const firmEmail = settings.firm.email;
  return (
    <SettingsSection title={t('settings.emailSender.title')} {...section}>
      <TextInput label={t('settings.emailSender.from')} type="email" {...form.getInputProps('emailSender.from')} />
      <TextInput
        label={t('settings.emailSender.replyTo')}
        type="email"
        description={firmEmail ? t('settings.emailSender.replyToEmpty', { email: firmEmail }) : t('settings.emailSender.replyToEmptyNoFirm')}
        {...form.getInputProps('emailSender.replyTo')}
      />
      <TextInput label={t('settings.emailSender.displayName')} {...form.getInputProps('emailSender.displayName')} />
    </SettingsSection>
  );
}
