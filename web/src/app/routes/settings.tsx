import { useTranslation } from 'react-i18next';
import { PlaceholderPage } from '@/components/placeholder-page';

/** The settings screen: a placeholder until the settings feature's screen replaces it. */
export default function SettingsRoute() {
  const { t } = useTranslation();
  return <PlaceholderPage title={t('settings.title')} body={t('common.comingSoon')} />;
}
