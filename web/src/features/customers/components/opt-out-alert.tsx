import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/utils/format-date';
import type { Customer } from '../api/get-customer';
import { ChannelStoppedAlert } from './channel-stopped-alert';

/** The customer answered STOPP to an SMS: no SMS goes out until the firm turns SMS on again. */
export function OptOutAlert({ customer, timeZone }: { customer: Customer; timeZone: string }) {
  const { t } = useTranslation();
  if (!customer.optOut) return null;
  return (
    <ChannelStoppedAlert title={t('customerScreens.optOut.title')} testId="opt-out">
      <Text>{t('customerScreens.optOut.body', { at: formatDateTime(customer.optOut.at, timeZone) })}</Text>
    </ChannelStoppedAlert>
  );
}
