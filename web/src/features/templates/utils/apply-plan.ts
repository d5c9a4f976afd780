import type { components } from '@/lib/api';
import type { RegisterFilters } from '@/features/tasks';
import type { ApplyFilter } from '../api/job-queries';

type Task = components['schemas']['Task'];

/** The register's filters (strings, from the URL) as the apply request's `filter` (`hasNotices` a boolean). */
export function applyFilterOf(filters: RegisterFilters): ApplyFilter {
  const { hasNotices, ...rest } = filters;
  return { ...rest, ...(hasNotices ? { hasNotices: hasNotices === 'true' } : {}) };
}

/**
 * The tasks an apply will change, by the job's own rules (shared/use-cases/apply-template-job.ts):
 * open tasks only; with `onlyLinked`, only those that follow this template; none that has this
 * version of it already. A task saved meanwhile is reported by the job, not counted here.
 */
export function tasksToChange(tasks: readonly Task[], template: { id: string; version: number }, onlyLinked: boolean): Task[] {
  return tasks.filter((task) => {
    if (task.status !== 'open') return false;
    const follows = task.template?.id === template.id;
    if (onlyLinked && !follows) return false;
    return !(follows && task.template?.version === template.version);
  });
}
