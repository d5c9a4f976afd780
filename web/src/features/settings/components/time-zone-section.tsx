import { Alert, Group, Loader, Select, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/utils/format-date';
import { isReplanning, type Settings } from '../api/get-settings';
import { useSettingsSection } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';

/** Every IANA zone the browser knows, with the firm's own first if the browser lacks it. */
function zoneOptions(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

/** The firm's zone, and the re-plan of its open tasks after a change, followed as it goes. */
export function TimeZoneSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const zones = useMemo(() => zoneOptions(settings.timeZone), [settings.timeZone]);
  const section = useSettingsSection({
    settings,
    values: (s) => ({ timeZone: s.timeZone }),
    toBody: (values) => ({ timeZone: values.timeZone }),
    toPatch: (values, s) => (values.timeZone === s.timeZone ? undefined : { timeZone: values.timeZone }),
    fields: ['timeZone'],
  });
  return (
    <SettingsSection title={t('settings.timeZone.title')} {...section}>
      <Select
        label={t('settings.timeZone.label')}
        description={t('settings.timeZone.description')}
        placeholder={t('settings.timeZone.search')}
        data={zones}
        searchable
        allowDeselect={false}
        limit={50}
        nothingFoundMessage={t('settings.timeZone.none')}
        w={{ base: '100%', sm: 400 }}
        {...section.form.getInputProps('timeZone')}
      />
      <ReplanProgress settings={settings} />
    </SettingsSection>
  );
}

function ReplanProgress({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const change = settings.timeZoneChange;
  return (
    <div role="status" aria-live="polite">
      {change && (
        <Alert variant="light" color={change.state === 'failed' ? 'orange' : 'blue'} title={t('settings.timeZone.progressTitle', { zone: change.timeZone })}>
          <Group gap="xs" wrap="nowrap">
            {isReplanning(settings) && <Loader size="xs" aria-hidden />}
            <Text size="sm" data-testid="replan-state">
              {t(`settings.timeZone.state.${change.state}`, { time: change.finishedAt ? formatDateTime(change.finishedAt, settings.timeZone) : '' })}
            </Text>
          </Group>
          <Text size="sm" data-testid="replan-counts">
            {t('settings.timeZone.replanned', { count: change.replanned, failed: change.failed })}
          </Text>
        </Alert>
      )}
    </div>
  );
}
