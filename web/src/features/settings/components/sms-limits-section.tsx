import { MultiSelect, NumberInput } from '@mantine/core';
import { getCountries } from 'libphonenumber-js/mobile';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../api/get-settings';
import { useSettingsSection } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';
import { SmsLimitsPending } from './sms-limits-pending';

type Limits = Settings['smsLimits'];
type Values = {
  smsLimits: { allowedCountries: string[]; perDay: number | string; perNumberPerHour: number | string };
};

const whole = (value: number | string) => (value === '' ? undefined : Number(value));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((code, i) => code === b[i]);

/** The countries the firm may choose, by name in the app's language: those the deployment offers, and any it already has. */
function useCountryOptions(language: string, offered: readonly string[], had: readonly string[]) {
  return useMemo(() => {
    const names = new Intl.DisplayNames([language], { type: 'region' });
    const choosable = new Set([...offered, ...had]);
    return getCountries()
      .filter((code) => choosable.has(code))
      .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
      .sort((a, b) => a.label.localeCompare(b.label, language));
  }, [language, offered, had]);
}

/** What the firm asked for: the raise that waits, else the limits in force. */
function requested(settings: Settings): Limits {
  const { allowedCountries, perDay, perNumberPerHour } = settings.smsLimitsPending ?? settings.smsLimits;
  return { allowedCountries, perDay, perNumberPerHour };
}

/** The guard against SMS pumping: where SMS may go, and how many may go a day and an hour to one number. */
export function SmsLimitsSection({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation();
  const ceiling = settings.smsLimitsCeiling;
  const countries = useCountryOptions(i18n.language, ceiling.countries, requested(settings).allowedCountries);
  const section = useSettingsSection<Values>({
    settings,
    values: (s) => ({ smsLimits: requested(s) }),
    toBody: ({ smsLimits: v }) => ({
      smsLimits: { allowedCountries: v.allowedCountries, perDay: whole(v.perDay), perNumberPerHour: whole(v.perNumberPerHour) },
    }),
    toPatch: ({ smsLimits: v }, s) => {
      const stored = requested(s);
      const patch = {
        ...(sameList(v.allowedCountries, stored.allowedCountries) ? {} : { allowedCountries: v.allowedCountries }),
        ...(whole(v.perDay) === stored.perDay ? {} : { perDay: whole(v.perDay) ?? null }),
        ...(whole(v.perNumberPerHour) === stored.perNumberPerHour ? {} : { perNumberPerHour: whole(v.perNumberPerHour) ?? null }),
      };
      return Object.keys(patch).length ? { smsLimits: patch } : undefined;
    },
    fields: ['smsLimits.allowedCountries', 'smsLimits.perDay', 'smsLimits.perNumberPerHour'],
  });
  const { form } = section;
  return (
    <SettingsSection title={t('settings.smsLimits.title')} {...section}>
      <SmsLimitsPending
        settings={settings}
        cancelling={section.saving}
        onCancel={() => void section.save({ smsLimits: settings.smsLimits }, 'settings.smsLimits.raiseCancelled')}
      />
      <MultiSelect
        label={t('settings.smsLimits.allowedCountries')}
        description={t('settings.smsLimits.allowedCountriesDescription')}
        data={countries}
        searchable
        nothingFoundMessage={t('settings.smsLimits.noCountry')}
        {...form.getInputProps('smsLimits.allowedCountries')}
      />
      {(['perDay', 'perNumberPerHour'] as const).map((cap) => (
        <NumberInput
          key={cap}
          label={t(`settings.smsLimits.${cap}`)}
          description={`${t(`settings.smsLimits.${cap}Description`)} ${t('settings.smsLimits.ceiling', { max: ceiling[cap] })}`}
          allowDecimal={false}
          allowNegative={false}
          w={{ base: '100%', sm: 320 }}
          {...form.getInputProps(`smsLimits.${cap}`)}
        />
      ))}
    </SettingsSection>
  );
}
