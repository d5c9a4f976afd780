import { useTranslation } from 'react-i18next';
import { PlaceholderPage } from '@/components/placeholder-page';

/** The task page: a placeholder until the task feature's screen replaces it. */
export default function TaskRoute() {
  const { t } = useTranslation();
  return <PlaceholderPage title={t('tasks.placeholder.title')} body={t('tasks.placeholder.body')} back={{ to: '/', label: t('tasks.placeholder.back') }} />;
}
