import { useTranslation } from 'react-i18next';
import { PlaceholderPage } from '@/components/placeholder-page';

/** The customers screen: a placeholder until the customers feature's screen replaces it. */
export default function CustomersRoute() {
  const { t } = useTranslation();
  return <PlaceholderPage title={t('customers.title')} body={t('common.comingSoon')} />;
}
