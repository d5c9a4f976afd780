import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/utils/format-date';

/** What a provider reported of a sent notice (GET /tasks/{id}/deliveries, /documents). */
export interface ReceiptShown {
  status: 'delivered' | 'undelivered';
  at: string;
  reason?: string;
}

/**
 * Delivered or not, as the SMS gateway or SES reported it; the words (when, and the operator's
 * reason) beside the badge for screen readers and in its tooltip. Nothing without a report.
 */
export function ReceiptBadge({ receipt, timeZone }: { receipt: ReceiptShown | undefined; timeZone: string }) {
  const { t } = useTranslation();
  if (!receipt) return null;
  const at = formatDateTime(receipt.at, timeZone);
  const words =
    receipt.status === 'delivered' ? t('receipt.deliveredAt', { at }) : t('receipt.undeliveredAt', { at, reason: receipt.reason ?? t('receipt.noReason') });
  return (
    <Tooltip label={words}>
      <Badge variant="outline" color={receipt.status === 'delivered' ? 'teal.9' : 'orange.9'} data-testid="receipt">
        {t(`receipt.${receipt.status}`)}
        <VisuallyHidden>{`: ${words}`}</VisuallyHidden>
      </Badge>
    </Tooltip>
  );
}
