import { Group, NativeSelect, NumberInput, Switch } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TimeField } from '@/components/date-fields';
import type { Settings } from '../api/get-settings';
import { useSettingsSection } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';

const hours = (value: number | string) => (value === '' ? undefined : Number(value));

interface SendingValues extends Record<string, unknown> {
  maxLatenessHours: number | string;
  sendOn: 'any' | 'businessDays';
  quietEnabled: boolean;
  quietStart: string;
  quietEnd: string;
}

function quietHoursOf(values: SendingValues): Settings['quietHours'] {
  return { enabled: values.quietEnabled, start: values.quietStart, end: values.quietEnd };
}

const sameQuiet = (a: Settings['quietHours'], b: Settings['quietHours']) => a.enabled === b.enabled && a.start === b.start && a.end === b.end;

/** When notices go out: business days, quiet hours for SMS, and how late one held up by an outage may still go. */
export function SendingSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const section = useSettingsSection<SendingValues>({
    settings,
    values: (s) => ({
      maxLatenessHours: s.maxLatenessHours,
      sendOn: s.sendOn,
      quietEnabled: s.quietHours.enabled,
      quietStart: s.quietHours.start,
      quietEnd: s.quietHours.end,
    }),
    toBody: (values) => ({ maxLatenessHours: hours(values.maxLatenessHours), sendOn: values.sendOn, quietHours: quietHoursOf(values) }),
    toPatch: (values, s) => {
      const value = hours(values.maxLatenessHours);
      const quietHours = quietHoursOf(values);
      const patch = {
        ...(value === s.maxLatenessHours ? {} : { maxLatenessHours: value ?? null }),
        ...(values.sendOn === s.sendOn ? {} : { sendOn: values.sendOn }),
        ...(sameQuiet(quietHours, s.quietHours) ? {} : { quietHours }),
      };
      return Object.keys(patch).length ? patch : undefined;
    },
    fields: ['maxLatenessHours', 'sendOn', 'quietEnabled', 'quietStart', 'quietEnd'],
    fieldNames: { 'quietHours.enabled': 'quietEnabled', 'quietHours.start': 'quietStart', 'quietHours.end': 'quietEnd' },
  });
  return (
    <SettingsSection title={t('settings.sending.title')} {...section}>
      <NativeSelect
        label={t('settings.sending.sendOn')}
        description={t('settings.sending.sendOnDescription')}
        w={{ base: '100%', sm: 360 }}
        data={[
          { value: 'any', label: t('sendOn.any') },
          { value: 'businessDays', label: t('sendOn.businessDays') },
        ]}
        {...section.form.getInputProps('sendOn')}
      />
      <Switch
        label={t('settings.sending.quietHours')}
        description={t('settings.sending.quietHoursDescription')}
        {...section.form.getInputProps('quietEnabled', { type: 'checkbox' })}
      />
      {section.form.values.quietEnabled && (
        <Group align="flex-start">
          <TimeField label={t('settings.sending.quietStart')} w={200} {...section.form.getInputProps('quietStart')} />
          <TimeField label={t('settings.sending.quietEnd')} w={200} {...section.form.getInputProps('quietEnd')} />
        </Group>
      )}
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
