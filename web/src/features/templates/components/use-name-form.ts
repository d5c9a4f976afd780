import { useSchemaForm } from '@/lib/forms';
import { TemplateCreate } from '../../../../../shared/api/template.schemas.ts';

const NameOnly = TemplateCreate.pick({ name: true });

/** A template's name, checked as the user types by the API's own rule (1-200 characters). */
export function useNameForm(name: string) {
  return useSchemaForm<{ name: string }>({
    initialValues: { name },
    schema: NameOnly,
    toBody: (values) => values,
    fields: ['name'],
    liveFields: ['name'],
  });
}
