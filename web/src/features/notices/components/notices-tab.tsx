import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ConflictAlert, EmptyState, ErrorState } from '@/components/states';
import { useFirmTimeZone } from '@/features/settings';
import { ApiError } from '@/lib/api';
import { MAX_NOTICES_PER_TASK as MAX_NOTICES } from '../../../../../shared/api/task.schemas.ts';
import { useReloadTask, useSaveNotices } from '../api/save-notices';
import { describeNotice } from '../utils/describe-notice';
import { isDateOnly, replaceNotice, type NoticeInput, type Task } from '../utils/notice-values';
import { NoticeForm } from './notice-form';
import { NoticeList } from './notice-list';
import { SaveWarnings, type SaveWarning } from './save-warnings';

export interface NoticesTabProps {
  task: Task;
  /** The task as it now stands: after a save, or after a reload that followed a conflict. */
  onSaved?: (task: Task) => void;
}

/** The task page's "Varsler" tab: the task's notices, added, changed and removed one at a time. */
export function NoticesTab({ task: given, onSaved }: NoticesTabProps) {
  const { t } = useTranslation();
  const timeZone = useFirmTimeZone();
  // The newest of the task handed in and the one this tab saved or reloaded.
  const [own, setOwn] = useState<Task>();
  const task = own && own.id === given.id && own.version >= given.version ? own : given;
  // The notice being edited, by id (its place may move when the list is reloaded); `null` for a new one.
  const [editing, setEditing] = useState<{ id: string | null }>();
  const [warnings, setWarnings] = useState<SaveWarning[]>([]);
  const [outcome, setOutcome] = useState<{ kind: 'saved' | 'removed' } | { kind: 'conflict' } | { kind: 'failed'; error: unknown }>();
  const save = useSaveNotices(task.id);
  const reload = useReloadTask(task.id);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const dateOnly = isDateOnly(task.deadline);
  const editIndex = editing?.id ? task.notices.findIndex((n) => n.id === editing.id) : -1;
  const formIndex = editIndex >= 0 ? editIndex : task.notices.length;

  function adopt(next: Task) {
    setOwn(next);
    onSaved?.(next);
  }

  async function saveNotices(notices: NoticeInput[], kind: 'saved' | 'removed') {
    setOutcome(undefined);
    const saved = await save.mutateAsync({ notices, version: task.version });
    adopt(saved);
    setWarnings(saved.warnings ?? []);
    setOutcome({ kind });
    setEditing(undefined);
    requestAnimationFrame(() => headingRef.current?.focus());
  }

  function saveFailed(kind: 'conflict' | 'failed', error: unknown) {
    setOutcome(kind === 'conflict' ? { kind } : { kind, error });
  }

  // The notice the user asked to remove, by id, until they confirm or cancel.
  const [removing, setRemoving] = useState<string>();
  const removeIndex = task.notices.findIndex((n) => n.id === removing);
  function remove() {
    setRemoving(undefined);
    saveNotices(replaceNotice(task, removeIndex, undefined), 'removed').catch((error: unknown) =>
      saveFailed(error instanceof ApiError && error.isConflict ? 'conflict' : 'failed', error),
    );
  }

  function reloadTask() {
    reload.mutate(undefined, {
      onSuccess: (fresh) => {
        adopt(fresh);
        setOutcome(undefined);
        requestAnimationFrame(() => headingRef.current?.focus());
      },
      onError: (error) => setOutcome({ kind: 'failed', error }),
    });
  }

  function close() {
    setEditing(undefined);
    requestAnimationFrame(() => headingRef.current?.focus());
  }

  return (
    <Stack gap="md">
      <Title order={2} ref={headingRef} tabIndex={-1}>
        {t('notices.title')}
      </Title>
      {outcome?.kind === 'conflict' && <ConflictAlert onReload={reloadTask} />}
      {outcome?.kind === 'failed' && <ErrorState error={outcome.error} />}
      {(outcome?.kind === 'saved' || outcome?.kind === 'removed') && (
        <Alert color="green" variant="outline" role="status">
          {t(`notices.${outcome.kind}`)}
        </Alert>
      )}
      <SaveWarnings warnings={warnings} />
      {!task.deadline ? (
        <EmptyState message={t('notices.noDeadline')} />
      ) : editing ? (
        <NoticeForm
          key={`${editing.id ?? 'new'}`}
          task={task}
          index={formIndex}
          dateOnly={dateOnly}
          timeZone={timeZone}
          saving={save.isPending}
          onSave={(notices) => saveNotices(notices, 'saved')}
          onSaveFailed={saveFailed}
          onCancel={close}
        />
      ) : (
        <>
          {task.notices.length === 0 ? (
            <EmptyState message={t('notices.empty')} />
          ) : (
            <NoticeList
              notices={task.notices}
              dateOnly={dateOnly}
              busy={save.isPending}
              onEdit={(i) => setEditing({ id: task.notices[i]!.id })}
              onRemove={(i) => setRemoving(task.notices[i]!.id)}
            />
          )}
          <Group>
            <Button onClick={() => setEditing({ id: null })} disabled={task.notices.length >= MAX_NOTICES}>
              {t('notices.add')}
            </Button>
            {task.notices.length >= MAX_NOTICES && <Text size="sm">{t('notices.full', { max: MAX_NOTICES })}</Text>}
          </Group>
        </>
      )}
      {removeIndex >= 0 && (
        <ConfirmDialog
          opened
          title={t('notices.removeDialog.title', { number: removeIndex + 1 })}
          body={t('notices.removeDialog.body', { notice: describeNotice(task.notices[removeIndex]!, t, dateOnly) })}
          confirmLabel={t('notices.removeDialog.confirm')}
          cancelLabel={t('notices.removeDialog.cancel')}
          onConfirm={remove}
          onCancel={() => setRemoving(undefined)}
        />
      )}
    </Stack>
  );
}
