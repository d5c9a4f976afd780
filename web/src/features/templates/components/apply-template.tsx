import { Alert, Anchor, Button, Checkbox, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ConflictAlert, ErrorState, LoadingState } from '@/components/states';
import { filtersFrom, searchOf, TaskFilters, type RegisterFilters } from '@/features/tasks';
import { ApiError } from '@/lib/api';
import { fieldMessages } from '@/utils/field-errors';
import { useApplyTemplate } from '../api/job-queries';
import { useTemplate, type Template } from '../api/template-queries';
import { applyFilterOf } from '../utils/apply-plan';
import { ApplyCount } from './apply-count';

const FILTER_FIELDS = ['deadlineFrom', 'deadlineTo', 'customerId', 'status', 'hasNotices'];
const FILTER_FIELD_NAMES = Object.fromEntries(FILTER_FIELDS.map((name) => [`filter.${name}`, name]));

/** "Apply to tasks": the register's filters (in the URL, so the register can hand its own over), only linked or all, a confirm step, then the job. */
export function ApplyTemplate({ templateId }: { templateId: string }) {
  const { t } = useTranslation();
  const template = useTemplate(templateId);
  if (template.isPending) return <LoadingState label={t('templates.page.loading')} />;
  if (template.isError) return <ErrorState error={template.error} onRetry={() => void template.refetch()} />;
  return <ApplyForm template={template.data} onReload={() => void template.refetch()} />;
}

function ApplyForm({ template, onReload }: { template: Template; onReload: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const onlyLinked = params.get('onlyLinked') === 'true';
  const apply = useApplyTemplate(template.id);
  const body = { filter: applyFilterOf(filters), onlyLinked, templateVersion: template.version };
  // One key per request body: a double click, or a confirm again after an answer that never
  // came (the job may have started), gets the job the first request started; another body is another apply.
  const [attempt, setAttempt] = useState<{ body: string; idempotencyKey: string }>();
  const [confirming, setConfirming] = useState(false);
  const open = () => {
    const json = JSON.stringify(body);
    if (attempt?.body !== json) setAttempt({ body: json, idempotencyKey: crypto.randomUUID() });
    setConfirming(true);
  };

  const setSearch = (next: RegisterFilters, linked: boolean) => {
    const search = searchOf(next);
    if (linked) search.set('onlyLinked', 'true');
    setParams(search, { replace: true });
  };
  const onFilter = <K extends keyof RegisterFilters>(name: K, value: RegisterFilters[K] | '' | undefined) => {
    const next = filtersFrom(new URLSearchParams(window.location.search));
    if (value) next[name] = value;
    else delete next[name];
    apply.reset();
    setSearch(next, onlyLinked);
  };

  const start = () => {
    if (!attempt || apply.isPending) return;
    apply.mutate(
      { body: JSON.parse(attempt.body) as typeof body, idempotencyKey: attempt.idempotencyKey },
      {
        onSuccess: (job) => void navigate(`/jobs/${encodeURIComponent(job.id)}`),
        onError: () => setConfirming(false),
      },
    );
  };

  const error = apply.error instanceof ApiError ? apply.error : undefined;
  const fields = fieldMessages(error?.status === 422 ? error.fieldErrors : [], t, FILTER_FIELDS, FILTER_FIELD_NAMES);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/templates/${encodeURIComponent(template.id)}`}>
        {t('templates.apply.back', { name: template.name })}
      </Anchor>
      <Title order={1}>{t('templates.apply.title', { name: template.name })}</Title>
      <Text maw={720}>{t('templates.apply.intro')}</Text>
      <TaskFilters filters={filters} errors={fields.byField} onChange={onFilter} onClear={() => setSearch({}, onlyLinked)} />
      <Checkbox
        label={t('templates.apply.onlyLinked')}
        description={t('templates.apply.onlyLinkedHelp')}
        checked={onlyLinked}
        onChange={(event) => setSearch(filters, event.currentTarget.checked)}
      />
      <ApplyCount filter={applyFilterOf(filters)} template={template} onlyLinked={onlyLinked} />
      {error?.isConflict ? (
        <ConflictAlert onReload={onReload} />
      ) : apply.isError && !(error?.status === 422 && fields.other.length === 0) ? (
        <ErrorState error={apply.error} />
      ) : null}
      {fields.other.length > 0 && (
        <Alert color="red" variant="outline" role="alert">
          {fields.other.join(' ')}
        </Alert>
      )}
      <div>
        <Button onClick={open}>{t('templates.apply.start')}</Button>
      </div>
      <ConfirmDialog
        opened={confirming}
        title={t('templates.apply.confirmTitle', { name: template.name })}
        body={t(onlyLinked ? 'templates.apply.confirmBodyLinked' : 'templates.apply.confirmBody', { name: template.name, version: template.version })}
        confirmLabel={t('templates.apply.confirm')}
        cancelLabel={t('templates.apply.cancel')}
        busy={apply.isPending}
        onConfirm={start}
        onCancel={() => setConfirming(false)}
      >
        <ApplyCount filter={applyFilterOf(filters)} template={template} onlyLinked={onlyLinked} />
      </ConfirmDialog>
    </Stack>
  );
}
