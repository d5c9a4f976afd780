import { Skeleton, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCustomer } from '../api/get-customer';

/** A customer's name by id; a placeholder while it loads. */
export function CustomerName({ id }: { id: string }) {
  const { t } = useTranslation();
  const customer = useCustomer(id);
  if (customer.isPending) {
    return (
      <>
        <Skeleton height={12} width={120} radius="sm" aria-hidden />
        <VisuallyHidden>{t('common.loading')}</VisuallyHidden>
      </>
    );
  }
  return <>{customer.data?.name ?? t('customers.unknown')}</>;
}
