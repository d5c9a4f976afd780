import { useTranslation } from 'react-i18next';
import { useFirmTimeZone } from '@/features/settings';
import { TaskUpdate } from '../../../../../shared/api/task.schemas.ts';
import { useReloadTask, useSaveNotices } from '../api/save-notices';
import { isDateOnly, taskBodyWith, type Task } from '../utils/notice-values';
import { NoticesEditor } from './notices-editor';

export interface NoticesTabProps {
  task: Task;
  /** The task as it now stands: after a save, or after a reload that followed a conflict. */
  onSaved?: (task: Task) => void;
}

/** The task page's "Varsler" tab: the task's notices, added, changed and removed one at a time. */
export function NoticesTab({ task, onSaved }: NoticesTabProps) {
  const { t } = useTranslation();
  const timeZone = useFirmTimeZone();
  const save = useSaveNotices(task.id);
  const reload = useReloadTask(task.id);
  return (
    <NoticesEditor
      owner={task}
      save={(notices, version) => save.mutateAsync({ notices, version })}
      saving={save.isPending}
      reload={() => reload.mutateAsync()}
      onSaved={onSaved}
      check={(current) => ({ schema: TaskUpdate, bodyOf: (notices) => taskBodyWith(current, notices) })}
      dateOnly={isDateOnly(task.deadline)}
      timeZone={timeZone}
      blocked={task.deadline ? undefined : t('notices.noDeadline')}
      previewTaskId={task.id}
    />
  );
}
