import { utcSeconds } from '../domain/plan-occurrences.ts';
import { taskSchedulePrefix } from '../domain/schedule-names.ts';
import type { Settings, Task } from '../domain/model.ts';
import type { DueTask, Ports } from '../ports.ts';
import { getSettings } from './settings.ts';
import { replanInZone } from './tasks.ts';
import { plannedUnder } from '../domain/send-rules.ts';
import { sweepOverdue } from './overdue-occurrences.ts';
import { desiredSchedules } from './task-schedules.ts';
import { restartStalledJobs } from './zone-change-job.ts';
import { CallPacer, pacedScheduler, realTime, withThrottleBackoff, type PaceTime } from './scheduler-pacing.ts';

export interface ReconcileReport {
  tasks: number;
  /** Tasks whose schedules were listed and compared with their plan (unconfirmed, or a full run). */
  checked: number;
  /** Tasks marked confirmed by this run after their check. */
  confirmed: number;
  /** Tasks beyond the horizon whose mark a full run took back, so that a run checks them when they come into it. */
  unconfirmed: number;
  created: number;
  deleted: number;
  /** Tasks whose place in the due index moved on to their next occurrence. */
  advanced: number;
  /** Tasks planned again in their firm's new time zone. */
  replanned: number;
  /** Occurrences whose time came without a final record, handed to dispatch again. */
  resent: number;
  /** Channels of occurrences still not final an hour after their time. */
  overdue: number;
  failed: number;
  /** Tasks that needed a look left to the next run, not failed: throttled through every back-off, or past the run's time budget. */
  deferred: number;
  /** Background jobs that had stopped moving and whose step was sent again. */
  jobsRestarted: number;
  /** Stalled jobs whose step could not be sent again, or that were given up (see zone-change-job.ts). */
  jobsFailed: number;
}

type TaskCounts = Partial<
  Pick<ReconcileReport, 'checked' | 'confirmed' | 'unconfirmed' | 'created' | 'deleted' | 'advanced' | 'replanned' | 'resent' | 'overdue'>
>;

/** How much earlier a change of time zone can make an occurrence: UTC-12 to UTC+14. */
const ZONE_SHIFT_MS = 26 * 3_600_000;

/** Longer than any save takes (the api function stops at 15 s): younger schedules may be a save's in progress. */
const SAVE_SETTLE_MS = 10 * 60_000;

/**
 * The run's own pace of Scheduler calls: well under the API's request-rate quotas (the
 * arithmetic is in docs/reliability.md, "The reconciler's Scheduler calls"), leaving the
 * rest to the saves of the API and the jobs.
 */
export const RECONCILER_SCHEDULER_CALLS_PER_SECOND = 20;
/** Tasks looked at at once: enough to keep the pacer busy, few enough for one Lambda. */
const TASKS_AT_ONCE = 4;
/**
 * Real time a run may spend on tasks (the function stops at 5 minutes, cdk/frist-stack.ts):
 * what is left when it ends is deferred to the next run, the soonest first.
 */
const RUN_BUDGET_MS = 4 * 60_000;
/** Tries of a task the Scheduler throttles (back-off 1, 2, 4, 8 s between them) before it is left to the next run. */
const THROTTLE_ATTEMPTS = 5;

export interface ReconcileOptions {
  horizonHours: number;
  /**
   * How long after an occurrence's time (or its record's last change) the sweep waits before
   * it sends the occurrence to dispatch again: the queue's own retries come first. After a
   * restart of the local stack, whose queue did not survive, nothing is waiting: 0.
   */
  graceMinutes: number;
  /**
   * Check every task in the horizon, confirmed or not, and take back the marks of the tasks
   * beyond it, which the runs then check as they come into the horizon: after schedules were
   * deleted by hand, a restore of the table, or a restart of the local stack (its Scheduler
   * forgot them).
   */
  full?: boolean;
  schedulerCallsPerSecond?: number;
  /** Real time a run may spend on tasks (default 4 minutes). */
  budgetMs?: number;
  /** Real time for pacing and back-off (tests may pass their own). */
  time?: PaceTime;
}

interface Run {
  ports: Ports;
  options: ReconcileOptions;
  now: Date;
  nowIso: string;
  until: string;
  zones: Map<string, Promise<Settings>>;
}

/**
 * The safety net under schedule sync (every 15 minutes on AWS). It costs what is uncertain,
 * not what is due: of the tasks whose next occurrence falls before now + horizon, it lists the
 * schedules only of those whose sync is not confirmed at their version (a save that failed
 * half-way, or crashed before its mark; see SCHEDULES_CONFIRMED), and compares them with the plan:
 * - an occurrence still to come without its schedule gets one (a save whose schedule write
 *   was undone by a concurrent delete, say);
 * - a schedule the plan no longer has is deleted (a delete that failed after a save, or the
 *   schedule of a save that lost its conditional write);
 * then marks the task confirmed. A confirmed task whose time has not come costs nothing.
 * Occurrences whose time has come without a final record are handed to dispatch again (see
 * overdue-occurrences.ts), confirmed or not: that also catches a schedule lost in a way no
 * mark can know of. Then the task's entry in the due index moves on to its earliest
 * occurrence not yet final, or else its next one to come (written only when it changes), so
 * the next run looks at it again in time. Tasks go soonest first; Scheduler calls are paced
 * (a token bucket), a throttled task is tried again after a back-off, what the run's time
 * budget does not reach is left to the next run, and one task's failure does not stop the
 * others. Last, background jobs that stopped moving get their step sent again
 * (zone-change-job.ts).
 */
export async function reconcileSchedules(ports: Ports, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = ports.clock.now();
  const horizonEnd = now.getTime() + options.horizonHours * 3_600_000;
  // A change of zone can bring a notice up to 26 hours earlier: tasks due that much beyond
  // the horizon are looked at for their zone only.
  // A full run reads the whole index: the marks of the tasks beyond the horizon are taken back.
  const until = options.full ? '9999' : utcSeconds(new Date(horizonEnd + ZONE_SHIFT_MS));
  const due = (await ports.store.queryDueTasks('0000', until)).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const time = options.time ?? realTime;
  const started = time.now();
  const pacer = new CallPacer(options.schedulerCallsPerSecond ?? RECONCILER_SCHEDULER_CALLS_PER_SECOND, undefined, time);
  const run: Run = {
    ports: { ...ports, scheduler: pacedScheduler(ports.scheduler, pacer) },
    options,
    now,
    nowIso: utcSeconds(now),
    until: utcSeconds(new Date(horizonEnd)),
    zones: new Map(),
  };
  const report: ReconcileReport = {
    tasks: due.length,
    checked: 0,
    confirmed: 0,
    unconfirmed: 0,
    created: 0,
    deleted: 0,
    advanced: 0,
    replanned: 0,
    resent: 0,
    overdue: 0,
    failed: 0,
    deferred: 0,
    jobsRestarted: 0,
    jobsFailed: 0,
  };
  await eachAtOnce(due, TASKS_AT_ONCE, async (entry) => {
    try {
      // Only a task that needs a look is left to the next run: most entries cost nothing.
      const look = await lookNeeded(run, entry);
      if (!look) return;
      if (time.now() - started > (options.budgetMs ?? RUN_BUDGET_MS)) {
        report.deferred += 1;
        return;
      }
      const counts = look.withdraw
        ? await withdrawMark(run, entry)
        : await withThrottleBackoff(() => reconcileTask(run, entry, look.confirmed), THROTTLE_ATTEMPTS, time);
      if (counts === 'deferred') report.deferred += 1;
      else for (const [key, n] of Object.entries(counts) as [keyof TaskCounts, number][]) report[key] += n;
    } catch (error) {
      report.failed += 1;
      ports.log.error('reconcile failed for a task', { tenantId: entry.tenantId, taskId: entry.task.id, error: (error as Error).message });
    }
  });
  const jobs = await restartStalledJobs(ports);
  return { ...report, jobsRestarted: jobs.restarted, jobsFailed: jobs.failed };
}

/** A look at a task: its schedules checked (unless confirmed), or its mark taken back. */
type Look = { confirmed: boolean; withdraw?: never } | { withdraw: true; confirmed?: never };

/**
 * Whether a task of the due index needs a look this run, from the entry alone (and the firm's
 * settings, read once a run): not when its schedules lie beyond the horizon in its firm's zone,
 * nor when they are confirmed and its time has not come.
 */
async function lookNeeded(run: Run, { tenantId, task: indexed, dueAt, schedulesConfirmed }: DueTask): Promise<Look | undefined> {
  const planned = plannedUnder(indexed.plan, await settingsOf(run, tenantId));
  if (earliestScheduled(indexed) > run.until && planned) return run.options.full && schedulesConfirmed !== undefined ? { withdraw: true } : undefined;
  const confirmed = !run.options.full && planned && (schedulesConfirmed ?? 0) >= indexed.version;
  if (confirmed && dueAt > run.nowIso) return undefined;
  return { confirmed };
}

/** One task of the due index that needs a look: what it costs depends on what is uncertain about it. */
async function reconcileTask(run: Run, { tenantId, task: indexed, dueAt, schedulesConfirmed }: DueTask, confirmed: boolean): Promise<TaskCounts> {
  const counts: TaskCounts = {};
  const repair = confirmed ? undefined : await repairSchedules(run, tenantId, indexed.id, counts);
  const task = repair ? repair.task : await run.ports.store.getTask(tenantId, indexed.id);
  if (!task) return counts;
  const sweep = await sweepOverdue(run.ports, tenantId, task, { graceMs: run.options.graceMinutes * 60_000 });
  counts.resent = sweep.resent;
  counts.overdue = sweep.overdue;
  const next =
    sweep.earliestUnsettled ??
    [...desiredSchedules(tenantId, task).values()]
      .map((s) => s.at)
      .filter((at) => at > run.nowIso)
      .sort()[0];
  // Compared with the entry as the index returned it: the same version with the same instant is the same entry.
  const unchanged = task.version === indexed.version && next === dueAt;
  if (!unchanged && (await run.ports.store.setDueIndex(tenantId, task.id, task.version, next))) counts.advanced = 1;
  const markedAlready = schedulesConfirmed === task.version; // a full run's check of a confirmed task
  if (repair?.complete && !markedAlready && (await run.ports.store.confirmSchedules(tenantId, task.id, task.version))) counts.confirmed = 1;
  return counts;
}

/**
 * A full run's task beyond the horizon: its mark, which the run has not checked, is taken back
 * (a write, no Scheduler call), so the runs list its schedules when it comes into the horizon.
 */
async function withdrawMark(run: Run, { tenantId, task }: DueTask): Promise<TaskCounts> {
  return (await run.ports.store.withdrawSchedulesConfirmation(tenantId, task.id, task.version)) ? { unconfirmed: 1 } : {};
}

/**
 * Lists the task's schedules, reads the task, and makes the first match the second. Complete
 * when the Scheduler now holds exactly what the plan of the version read wants: nothing left
 * for a later run (a young schedule that may be a save's), no re-plan (its save marks itself).
 */
async function repairSchedules(run: Run, tenantId: string, taskId: string, counts: TaskCounts): Promise<{ task: Task | undefined; complete: boolean }> {
  const { ports, now, nowIso } = run;
  counts.checked = 1;
  const listed = await ports.scheduler.list(taskSchedulePrefix(tenantId, taskId));
  // Read after listing, consistently: the due index may lag behind the table, and a save
  // may have run meanwhile; its schedules are then in the list or in this plan.
  const stored = await ports.store.getTask(tenantId, taskId);
  // A task still planned in a zone the firm has left is planned again first, in the zone
  // read now (the run's first read of the settings may predate a change).
  const stale = stored && !plannedUnder(stored.plan, await settingsOf(run, tenantId));
  const replanned = stale ? await replanInZone(ports, tenantId, stored, await getSettings(ports, tenantId)) : undefined;
  if (replanned) counts.replanned = 1;
  const task = replanned ?? stored;
  const planned = desiredSchedules(tenantId, task);
  const existing = new Set(listed.map((s) => s.name));
  let complete = !replanned;
  for (const spec of planned.values()) {
    if (spec.at <= nowIso) continue; // due already: it fired, or fires within the Scheduler's minute
    if (existing.has(spec.name)) continue; // a name stands for its instant: nothing to compare
    await ports.scheduler.create(spec);
    counts.created = (counts.created ?? 0) + 1;
  }
  for (const { name, createdAt } of listed) {
    if (planned.has(name)) continue;
    // A schedule made in the last minutes may be a save's still under way: left for the next run.
    if (!createdAt || now.getTime() - createdAt.getTime() < SAVE_SETTLE_MS) {
      complete = false;
      continue;
    }
    await ports.scheduler.delete(name);
    counts.deleted = (counts.deleted ?? 0) + 1;
  }
  return { task, complete };
}

function settingsOf(run: Run, tenantId: string): Promise<Settings> {
  if (!run.zones.has(tenantId)) run.zones.set(tenantId, getSettings(run.ports, tenantId));
  return run.zones.get(tenantId)!;
}

/** The instant of the task's earliest occurrence with a schedule ('0000' when none). */
function earliestScheduled(task: Pick<Task, 'plan'>): string {
  return (
    task.plan.occurrences
      .filter((o) => o.state === 'scheduled')
      .map((o) => o.at)
      .sort()[0] ?? '0000'
  );
}

/** Runs `work` over `items`, `width` at a time. */
async function eachAtOnce<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
