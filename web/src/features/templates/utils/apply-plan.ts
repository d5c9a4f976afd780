/**
 * The apply step's plan, as pure functions (unit-tested). Its types are written out rather
 * than imported: the API's types follow structurally, and the unit tests compile it alone.
 */
type Status = 'open' | 'completed';

/** The register's filters as the URL holds them. */
export interface RegisterFilterValues {
  status?: Status;
  customerId?: string;
  deadlineFrom?: string;
  deadlineTo?: string;
  hasNotices?: 'true' | 'false';
}

/** The apply request's `filter` (POST /templates/{id}/apply). */
export interface ApplyFilterValues extends Omit<RegisterFilterValues, 'hasNotices'> {
  hasNotices?: boolean;
}

/** The register's filters (strings, from the URL) as the apply request's `filter` (`hasNotices` a boolean). */
export function applyFilterOf(filters: RegisterFilterValues): ApplyFilterValues {
  const { hasNotices, ...rest } = filters;
  return { ...rest, ...(hasNotices ? { hasNotices: hasNotices === 'true' } : {}) };
}

/**
 * The tasks an apply will change, by the job's own rules (shared/use-cases/apply-template-job.ts):
 * open tasks only; with `onlyLinked`, only those that follow this template; none that has this
 * version of it already. A task saved meanwhile is reported by the job, not counted here.
 */
export function tasksToChange<T extends { status: Status; template?: { id: string; version: number } }>(
  tasks: readonly T[],
  template: { id: string; version: number },
  onlyLinked: boolean,
): T[] {
  return tasks.filter((task) => {
    if (task.status !== 'open') return false;
    const follows = task.template?.id === template.id;
    if (onlyLinked && !follows) return false;
    return !(follows && task.template?.version === template.version);
  });
}
