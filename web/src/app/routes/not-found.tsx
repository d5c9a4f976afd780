import { useTranslation } from 'react-i18next';
import { PlaceholderPage } from '@/components/placeholder-page';

export function NotFoundRoute() {
  const { t } = useTranslation();
  return <PlaceholderPage title={t('common.notFoundTitle')} body={t('common.notFoundBody')} back={{ to: '/', label: t('common.toStart') }} />;
}
