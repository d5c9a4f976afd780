import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ConflictAlert, EmptyState, ErrorState } from '@/components/states';
import { ApiError } from '@/lib/api';
import { MAX_NOTICES_PER_TASK as MAX_NOTICES } from '../../../../../shared/api/task.schemas.ts';
import { describeNotice } from '../utils/describe-notice';
import { replaceNotice, type NoticeInput, type NoticeOwner } from '../utils/notice-values';
import { NoticeForm, type NoticeCheck } from './notice-form';
import { NoticeList } from './notice-list';
import { SaveWarnings, type SaveWarning } from './save-warnings';

export interface NoticesEditorProps<Owner extends NoticeOwner> {
  /** The task or template as read. */
  owner: Owner;
  /** Saves the owner's whole list of notices with the version read (409 when stale); answers the owner as saved. */
  save: (notices: NoticeInput[], version: number) => Promise<Owner & { warnings?: SaveWarning[] }>;
  saving: boolean;
  /** The owner as stored now (after a 409: the user reloads, then makes the change again). */
  reload: () => Promise<Owner>;
  /** The owner as it now stands: after a save, or after a reload that followed a conflict. */
  onSaved?: ((owner: Owner) => void) | undefined;
  /** The browser's check of the whole body, made with these notices. */
  check: (owner: Owner) => NoticeCheck;
  dateOnly: boolean;
  timeZone: string;
  /** Why notices cannot be added yet (a task without a deadline), in words; `undefined` when they can. */
  blocked?: string | undefined;
  /** The fewest notices the owner may have: a template keeps at least one. */
  minNotices?: number;
  previewTaskId?: string | undefined;
}

/** A list of notices (a task's, a template's), added, changed and removed one at a time, each change saved at once. */
export function NoticesEditor<Owner extends NoticeOwner>(props: NoticesEditorProps<Owner>) {
  const { owner: given, onSaved, dateOnly, minNotices = 0 } = props;
  const { t } = useTranslation();
  // The newest of the owner handed in and the one this editor saved or reloaded.
  const [own, setOwn] = useState<Owner>();
  const owner = own && own.id === given.id && own.version >= given.version ? own : given;
  // The notice being edited, by id (its place may move when the list is reloaded); `null` for a new one.
  const [editing, setEditing] = useState<{ id: string | null }>();
  const [warnings, setWarnings] = useState<SaveWarning[]>([]);
  const [outcome, setOutcome] = useState<{ kind: 'saved' | 'removed' } | { kind: 'conflict' } | { kind: 'failed'; error: unknown }>();
  const [reloading, setReloading] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const editIndex = editing?.id ? owner.notices.findIndex((n) => n.id === editing.id) : -1;
  const formIndex = editIndex >= 0 ? editIndex : owner.notices.length;
  const focusHeading = () => requestAnimationFrame(() => headingRef.current?.focus());

  function adopt(next: Owner) {
    setOwn(next);
    onSaved?.(next);
  }

  async function saveNotices(notices: NoticeInput[], kind: 'saved' | 'removed') {
    setOutcome(undefined);
    const saved = await props.save(notices, owner.version);
    adopt(saved);
    setWarnings(saved.warnings ?? []);
    setOutcome({ kind });
    setEditing(undefined);
    focusHeading();
  }

  function saveFailed(kind: 'conflict' | 'failed', error: unknown) {
    setOutcome(kind === 'conflict' ? { kind } : { kind, error });
  }

  // The notice the user asked to remove, by id, until they confirm or cancel.
  const [removing, setRemoving] = useState<string>();
  const removeIndex = owner.notices.findIndex((n) => n.id === removing);
  function remove() {
    setRemoving(undefined);
    saveNotices(replaceNotice(owner, removeIndex, undefined), 'removed').catch((error: unknown) =>
      saveFailed(error instanceof ApiError && error.isConflict ? 'conflict' : 'failed', error),
    );
  }

  function reloadOwner() {
    setReloading(true);
    props
      .reload()
      .then((fresh) => {
        adopt(fresh);
        setOutcome(undefined);
        focusHeading();
      })
      .catch((error: unknown) => setOutcome({ kind: 'failed', error }))
      .finally(() => setReloading(false));
  }

  function close() {
    setEditing(undefined);
    focusHeading();
  }

  return (
    <Stack gap="md">
      <Title order={2} ref={headingRef} tabIndex={-1}>
        {t('notices.title')}
      </Title>
      {outcome?.kind === 'conflict' && !reloading && <ConflictAlert onReload={reloadOwner} />}
      {outcome?.kind === 'failed' && <ErrorState error={outcome.error} />}
      {(outcome?.kind === 'saved' || outcome?.kind === 'removed') && (
        <Alert color="green" variant="outline" role="status">
          {t(`notices.${outcome.kind}`)}
        </Alert>
      )}
      <SaveWarnings warnings={warnings} />
      {props.blocked ? (
        <EmptyState message={props.blocked} />
      ) : editing ? (
        <NoticeForm
          key={`${editing.id ?? 'new'}`}
          owner={owner}
          check={props.check(owner)}
          previewTaskId={props.previewTaskId}
          index={formIndex}
          dateOnly={dateOnly}
          timeZone={props.timeZone}
          saving={props.saving}
          onSave={(notices) => saveNotices(notices, 'saved')}
          onSaveFailed={saveFailed}
          onCancel={close}
        />
      ) : (
        <>
          {owner.notices.length === 0 ? (
            <EmptyState message={t('notices.empty')} />
          ) : (
            <NoticeList
              notices={owner.notices}
              dateOnly={dateOnly}
              busy={props.saving}
              canRemove={owner.notices.length > minNotices}
              onEdit={(i) => setEditing({ id: owner.notices[i]!.id })}
              onRemove={(i) => setRemoving(owner.notices[i]!.id)}
            />
          )}
          <Group>
            <Button onClick={() => setEditing({ id: null })} disabled={owner.notices.length >= MAX_NOTICES}>
              {t('notices.add')}
            </Button>
            {owner.notices.length >= MAX_NOTICES && <Text size="sm">{t('notices.full', { max: MAX_NOTICES })}</Text>}
          </Group>
        </>
      )}
      {removeIndex >= 0 && (
        <ConfirmDialog
          opened
          title={t('notices.removeDialog.title', { number: removeIndex + 1 })}
          body={t('notices.removeDialog.body', { notice: describeNotice(owner.notices[removeIndex]!, t, dateOnly) })}
          confirmLabel={t('notices.removeDialog.confirm')}
          cancelLabel={t('notices.removeDialog.cancel')}
          onConfirm={remove}
          onCancel={() => setRemoving(undefined)}
        />
      )}
    </Stack>
  );
}
