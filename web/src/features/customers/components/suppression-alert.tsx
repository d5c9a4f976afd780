import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/utils/format-date';
import type { Customer } from '../api/get-customer';
import { ChannelStoppedAlert } from './channel-stopped-alert';

/** SES reported the customer's address (a bounce or a complaint): no e-mail goes there until it changes. */
export function SuppressionAlert({ customer, timeZone }: { customer: Customer; timeZone: string }) {
  const { t } = useTranslation();
  const suppressed = customer.suppressed?.email;
  if (!suppressed) return null;
  const values = { address: suppressed.address, at: formatDateTime(suppressed.at, timeZone) };
  return (
    <ChannelStoppedAlert title={t('customerScreens.suppressed.title')} testId="suppression">
      <Text>{suppressed.reason === 'bounce' ? t('customerScreens.suppressed.bounce', values) : t('customerScreens.suppressed.complaint', values)}</Text>
      <Text>{t('customerScreens.suppressed.body')}</Text>
    </ChannelStoppedAlert>
  );
}
