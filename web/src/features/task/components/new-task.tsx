import { Anchor, Button, Group, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useFirmTimeZone, useSettings } from '@/features/settings';
import { LoadingState } from '@/components/states';
import { TemplateSelect } from '@/features/templates';
import { useCreateTask } from '../api/task-queries';
import { createBodyOf } from '../utils/task-form-values';
import { failedOutcome, SaveOutcome, type Outcome } from './save-outcome';
import { TaskFields } from './task-fields';
import { useTaskForm } from './use-task-form';

/** What the task page shows after arriving from a create: the answer's warnings. */
export interface CreatedState {
  created: Outcome;
}

/** Creating a task: its details and, optionally, the template its notices come from; otherwise the notices are added on the task page that opens next. */
export function NewTask() {
  const { t } = useTranslation();
  const settings = useSettings();
  const timeZone = useFirmTimeZone();
  if (settings.isPending) return <LoadingState />;
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/">
        {t('task.back')}
      </Anchor>
      <Title order={1}>{t('task.create.title')}</Title>
      <NewTaskForm timeZone={timeZone} />
    </Stack>
  );
}

function NewTaskForm({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateTask();
  // One key for the life of the form: every attempt at this create is the same request to the API.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [outcome, setOutcome] = useState<Outcome>();
  const { form, formMessages, showSaveError, clearMessages } = useTaskForm(undefined, timeZone);

  const submit = form.onSubmit((values) => {
    clearMessages();
    setOutcome(undefined);
    create.mutate(
      { body: createBodyOf(values, timeZone), idempotencyKey },
      {
        onSuccess: (task) =>
          void navigate(`/tasks/${encodeURIComponent(task.id)}`, {
            state: { created: { kind: 'saved', message: t('task.create.created'), task } } satisfies CreatedState,
          }),
        onError: (error) => setOutcome(failedCreate(showSaveError(error), error)),
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TaskFields form={form} timeZone={timeZone} />
        <TemplateSelect
          value={form.values.templateId}
          onChange={(id) => form.setFieldValue('templateId', id)}
          error={form.getInputProps('templateId').error as string | undefined}
        />
        {formMessages.length > 0 && <SaveOutcome outcome={{ kind: 'messages', messages: formMessages }} onReload={() => undefined} />}
        <SaveOutcome outcome={outcome} onReload={() => undefined} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('task.create.submit')}
          </Button>
          <Button variant="default" component={Link} to="/">
            {t('task.create.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A refused create: a 409 is no one else's change (there is nothing to reload) but an earlier attempt of this form. */
function failedCreate(kind: 'fields' | 'conflict' | 'failed', error: unknown): Outcome | undefined {
  return kind === 'conflict' ? { kind: 'failed', error, creating: true } : failedOutcome(kind, error);
}
