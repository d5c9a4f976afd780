import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTemplates } from '../api/template-queries';

/** "From template" on the new-task form: the firm's templates by name; '' is none (notices are added on the task page). */
export function TemplateSelect({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const templates = useTemplates();
  const items = templates.data?.items ?? [];
  return (
    <NativeSelect
      label={t('templates.select.label')}
      description={templates.isError ? t('templates.select.unavailable') : t('templates.select.help')}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      maw={640}
      data={[{ value: '', label: t('templates.select.none') }, ...items.map((template) => ({ value: template.id, label: template.name }))]}
    />
  );
}
