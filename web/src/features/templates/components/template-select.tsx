import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTemplates } from '../api/template-queries';

/** "From template" on the new-task form: the firm's templates by name, typed to find one; none chosen, notices are added on the task page. */
export function TemplateSelect({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const templates = useTemplates();
  const items = templates.data?.items ?? [];
  return (
    <Select
      label={t('templates.select.label')}
      description={templates.isError ? t('templates.select.unavailable') : t('templates.select.help')}
      placeholder={t('templates.select.none')}
      nothingFoundMessage={t('templates.select.nothingFound')}
      data={items.map((template) => ({ value: template.id, label: template.name }))}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      searchable
      clearable
      error={error}
      maw={640}
    />
  );
}
