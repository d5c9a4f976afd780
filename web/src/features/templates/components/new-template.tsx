import { Anchor, Stack, TextInput, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorState } from '@/components/states';
import { NoticeForm, type NoticeInput } from '@/features/notices';
import { ApiError } from '@/lib/api';
import { TemplateCreate } from '../../../../../shared/api/template.schemas.ts';
import { useCreateTemplate } from '../api/template-queries';
import { useNameForm } from './use-name-form';

/** What the template page shows after arriving from a create. */
export interface TemplateCreatedState {
  created: true;
}

const NO_NOTICES = { notices: [] };

/** A new template: its name and its first notice, saved together (a template has at least one notice). */
export function NewTemplate({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateTemplate();
  // One key for the life of the form: every attempt at this create is the same request to the API.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [failure, setFailure] = useState<unknown>();
  const { form } = useNameForm('');
  const nameRef = useRef<HTMLInputElement>(null);

  async function save(notices: NoticeInput[]) {
    setFailure(undefined);
    if (form.validate().hasErrors) {
      nameRef.current?.focus();
      return;
    }
    try {
      const template = await create.mutateAsync({ body: { name: form.getValues().name, notices }, idempotencyKey });
      void navigate(`/templates/${encodeURIComponent(template.id)}`, { state: { created: true } satisfies TemplateCreatedState });
    } catch (error) {
      // The name's own rule at the name; the notice's at its fields (the notice form shows them).
      if (error instanceof ApiError) {
        const nameError = error.fieldErrors.find((e) => e.field === 'name');
        if (nameError) form.setFieldError('name', t(`rules.${nameError.rule}` as 'rules.required', { defaultValue: nameError.message }));
      }
      throw error;
    }
  }

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/templates">
        {t('templates.back')}
      </Anchor>
      <Title order={1}>{t('templates.create.title')}</Title>
      <TextInput ref={nameRef} label={t('templates.fields.name')} withAsterisk maw={640} {...form.getInputProps('name')} />
      {failure ? <ErrorState error={failure} creating /> : null}
      <NoticeForm
        owner={NO_NOTICES}
        check={{ schema: TemplateCreate, bodyOf: (notices) => ({ name: form.getValues().name, notices }) }}
        index={0}
        dateOnly
        timeZone={timeZone}
        saving={create.isPending}
        onSave={save}
        onSaveFailed={(_, error) => setFailure(error)}
        onCancel={() => void navigate('/templates')}
      />
    </Stack>
  );
}
