import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ConflictAlert, ErrorState, LoadingState } from '@/components/states';
import { NoticesEditor } from '@/features/notices';
import { formatDateTime } from '@/utils/format-date';
import { TemplateUpdate } from '../../../../../shared/api/template.schemas.ts';
import { usePatchTemplate, useReloadTemplate, useTemplate, type Template } from '../api/template-queries';
import { DeleteTemplate } from './delete-template';
import type { TemplateCreatedState } from './new-template';
import { useNameForm } from './use-name-form';

/** One template: its name, its notices (the task page's editor), apply to tasks, delete. */
export function TemplatePage({ templateId, timeZone }: { templateId: string; timeZone: string }) {
  const { t } = useTranslation();
  const template = useTemplate(templateId);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const created = (useLocation().state as Partial<TemplateCreatedState> | null)?.created === true;
  const loaded = template.isSuccess;
  // Just created: the title takes the focus, so a screen reader says where the user is.
  useEffect(() => {
    if (created && loaded) titleRef.current?.focus();
  }, [created, loaded]);

  if (template.isPending) return <LoadingState label={t('templates.page.loading')} />;
  if (template.isError) {
    return (
      <Stack gap="lg">
        <BackLink />
        <ErrorState error={template.error} onRetry={() => void template.refetch()} />
      </Stack>
    );
  }
  const current = template.data;
  return (
    <Stack gap="lg">
      <BackLink />
      <Stack gap={4}>
        <Title order={1} ref={titleRef} tabIndex={-1}>
          {current.name}
        </Title>
        <Text c="dimmed">{t('templates.page.versionLine', { version: current.version, at: formatDateTime(current.updatedAt, timeZone) })}</Text>
      </Stack>
      {created && (
        <Alert color="green" variant="outline" role="status">
          {t('templates.create.created')}
        </Alert>
      )}
      <Group>
        <Button component={Link} to={`/templates/${encodeURIComponent(current.id)}/apply`}>
          {t('templates.page.apply')}
        </Button>
        <DeleteTemplate template={current} />
      </Group>
      <NameForm key={current.version} template={current} />
      <TemplateNotices template={current} timeZone={timeZone} />
    </Stack>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/templates">
      {t('templates.back')}
    </Anchor>
  );
}

/** Renaming: a merge patch of the name with the version read (409 when someone saved since). */
function NameForm({ template }: { template: Template }) {
  const { t } = useTranslation();
  const patch = usePatchTemplate(template.id);
  const reload = useReloadTemplate(template.id);
  const { form, showSaveError, clearMessages } = useNameForm(template.name);
  const [outcome, setOutcome] = useState<'conflict' | { failed: unknown }>();
  const submit = form.onSubmit((values) => {
    clearMessages();
    setOutcome(undefined);
    patch.mutate(
      { name: values.name, version: template.version },
      {
        onError: (error) => {
          const kind = showSaveError(error);
          if (kind === 'conflict') setOutcome('conflict');
          else if (kind === 'failed') setOutcome({ failed: error });
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate aria-label={t('templates.page.nameForm')}>
      <Stack gap="sm" maw={640}>
        <TextInput label={t('templates.fields.name')} withAsterisk {...form.getInputProps('name')} />
        {outcome === 'conflict' && <ConflictAlert onReload={() => reload.mutate()} />}
        {outcome && outcome !== 'conflict' && <ErrorState error={outcome.failed} />}
        <Group>
          <Button type="submit" loading={patch.isPending} disabled={!form.isDirty()}>
            {t('templates.page.saveName')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The template's notices in the task page's editor, each change a merge patch of the whole list. */
function TemplateNotices({ template, timeZone }: { template: Template; timeZone: string }) {
  const patch = usePatchTemplate(template.id);
  const reload = useReloadTemplate(template.id);
  return (
    <NoticesEditor
      owner={template}
      save={(notices, version) => patch.mutateAsync({ notices, version })}
      saving={patch.isPending}
      reload={() => reload.mutateAsync()}
      check={(owner) => ({ schema: TemplateUpdate, bodyOf: (notices) => ({ name: owner.name, version: owner.version, notices }) })}
      dateOnly
      timeZone={timeZone}
      minNotices={1}
    />
  );
}
