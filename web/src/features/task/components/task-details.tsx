import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { formatDateTime } from '@/utils/format-date';
import { useDeleteTask, usePatchTask, useTaskStatus, type Task } from '../api/task-queries';
import { formValuesOf, patchOf } from '../utils/task-form-values';
import { failedOutcome, outcomeOfError, SaveOutcome, type Outcome } from './save-outcome';
import { TaskFields } from './task-fields';
import { useTaskForm } from './use-task-form';

/**
 * The Detaljer tab: the task's details (saved as a merge patch of what changed, so the notices
 * stay as another tab left them), its status with complete / reopen, and delete.
 */
export function TaskDetails(props: { task: Task; timeZone: string; initialOutcome?: Outcome | undefined; onReload: () => void }) {
  const { t } = useTranslation();
  const { task, timeZone } = props;
  const [outcome, setOutcome] = useState<Outcome | undefined>(props.initialOutcome);
  const status = useTaskStatus(task.id);

  const changeStatus = (action: 'complete' | 'reopen') => {
    setOutcome(undefined);
    status.mutate(action, {
      onSuccess: (saved) => setOutcome({ kind: 'saved', message: t(action === 'complete' ? 'task.actions.completed' : 'task.actions.reopened'), task: saved }),
      onError: (error) => setOutcome(outcomeOfError(error)),
    });
  };

  return (
    <Stack gap="lg">
      <Group gap="sm">
        <Text fw={500}>{t('task.fields.status')}:</Text>
        <Badge variant="outline" color={task.status === 'open' ? 'blue' : 'gray'}>
          {t(`tasks.status.${task.status}`)}
        </Badge>
        {task.completedAt && <Text>{t('task.actions.completedAt', { at: formatDateTime(task.completedAt, timeZone) })}</Text>}
        {task.status === 'open' ? (
          <Button variant="light" onClick={() => changeStatus('complete')} loading={status.isPending}>
            {t('task.actions.complete')}
          </Button>
        ) : (
          <Button variant="light" onClick={() => changeStatus('reopen')} loading={status.isPending}>
            {t('task.actions.reopen')}
          </Button>
        )}
        <DeleteTask task={task} />
      </Group>
      {/* A new version (a save, a reload after a conflict) starts the form afresh from it. */}
      <DetailsForm key={task.version} task={task} timeZone={timeZone} onOutcome={setOutcome} />
      <SaveOutcome outcome={outcome} onReload={props.onReload} />
    </Stack>
  );
}

function DetailsForm({ task, timeZone, onOutcome }: { task: Task; timeZone: string; onOutcome: (outcome: Outcome | undefined) => void }) {
  const { t } = useTranslation();
  const patch = usePatchTask(task.id);
  const initial = formValuesOf(task, timeZone);
  const { form, formMessages, showSaveError, clearMessages } = useTaskForm(task, timeZone);

  const submit = form.onSubmit((values) => {
    clearMessages();
    onOutcome(undefined);
    patch.mutate(patchOf(initial, values, timeZone, task.version), {
      onSuccess: (saved) => onOutcome({ kind: 'saved', message: t('task.actions.saved'), task: saved }),
      onError: (error) => onOutcome(failedOutcome(showSaveError(error), error)),
    });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TaskFields form={form} timeZone={timeZone} />
        {formMessages.length > 0 && <SaveOutcome outcome={{ kind: 'messages', messages: formMessages }} onReload={() => undefined} />}
        <Group>
          <Button type="submit" loading={patch.isPending} disabled={!form.isDirty()}>
            {t('task.actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Delete, after a confirmation that names the task; then back to the register. */
function DeleteTask({ task }: { task: Task }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useDeleteTask(task.id);
  const [outcome, setOutcome] = useState<Outcome>();
  const confirm = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        // Back to the register (the dialog goes with the page), the keyboard at the start of its
        // content once the dialog has let go of it.
        void navigate('/');
        window.setTimeout(() => document.getElementById('main')?.focus(), 0);
      },
      onError: (error) => setOutcome(outcomeOfError(error)),
    });
  return (
    <>
      <Button variant="outline" color="red" onClick={open}>
        {t('task.actions.delete')}
      </Button>
      <ConfirmDialog
        opened={opened}
        title={t('task.deleteDialog.title')}
        body={t('task.deleteDialog.body', { title: task.title })}
        confirmLabel={t('task.deleteDialog.confirm')}
        cancelLabel={t('task.deleteDialog.cancel')}
        busy={remove.isPending}
        onConfirm={confirm}
        onCancel={close}
      >
        <SaveOutcome outcome={outcome} onReload={close} />
      </ConfirmDialog>
    </>
  );
}
