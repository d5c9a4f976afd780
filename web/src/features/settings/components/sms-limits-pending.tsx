import { Alert, Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/utils/format-date';
import type { Settings } from '../api/get-settings';

/**
 * A raise of the SMS limits that waits for its time: when it takes effect, what holds until
 * then, and a button that cancels it (a save of the limits in force). The wait is there so
 * that a raise the firm did not ask for (a stolen sign-in) can be seen and stopped.
 */
export function SmsLimitsPending({ settings, onCancel, cancelling }: { settings: Settings; onCancel: () => void; cancelling: boolean }) {
  const { t } = useTranslation();
  const pending = settings.smsLimitsPending;
  if (!pending) return null;
  const inForce = settings.smsLimits;
  const hours = Math.round((Date.parse(pending.effectiveAt) - Date.parse(pending.requestedAt)) / 3_600_000);
  return (
    <Alert color="yellow" variant="light" title={t('settings.smsLimits.pendingTitle')}>
      <Text size="sm">{t('settings.smsLimits.pendingAt', { at: formatDateTime(pending.effectiveAt, settings.timeZone) })}</Text>
      <Text size="sm">
        {t('settings.smsLimits.inForce', {
          perDay: inForce.perDay,
          perNumberPerHour: inForce.perNumberPerHour,
          countries: inForce.allowedCountries.join(', ') || '–',
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('settings.smsLimits.pendingWhy', { count: hours })}
      </Text>
      <Button variant="default" size="xs" mt="xs" loading={cancelling} onClick={onCancel}>
        {t('settings.smsLimits.cancelRaise')}
      </Button>
    </Alert>
  );
}
