import { utcSeconds } from '../domain/plan-occurrences.ts';
import { taskSchedulePrefix } from '../domain/schedule-names.ts';
import type { Settings } from '../domain/model.ts';
import type { Ports } from '../ports.ts';
import { getSettings } from './settings.ts';
import { replanInZone } from './tasks.ts';
import { plannedUnder } from '../domain/send-rules.ts';
import { sweepOverdue } from './overdue-occurrences.ts';
import { desiredSchedules } from './task-schedules.ts';
import { restartStalledJobs } from './zone-change-job.ts';

export interface ReconcileReport {
  tasks: number;
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
  /** Background jobs that had stopped moving and whose step was sent again. */
  jobsRestarted: number;
  /** Stalled jobs whose step could not be sent again, or that were given up (see zone-change-job.ts). */
  jobsFailed: number;
}

/** How much earlier a change of time zone can make an occurrence: UTC-12 to UTC+14. */
const ZONE_SHIFT_MS = 26 * 3_600_000;

/** Longer than any save takes (the api function stops at 15 s): younger schedules may be a save's in progress. */
const SAVE_SETTLE_MS = 10 * 60_000;

export interface ReconcileOptions {
  horizonHours: number;
  /**
   * How long after an occurrence's time (or its record's last change) the sweep waits before
   * it sends the occurrence to dispatch again: the queue's own retries come first. After a
   * restart of the local stack, whose queue did not survive, nothing is waiting: 0.
   */
  graceMinutes: number;
}

/**
 * The safety net under schedule sync (every 15 minutes on AWS). For every task whose next occurrence
 * falls before now + horizon, it compares the plan with the schedules that exist:
 * - an occurrence still to come without its schedule gets one (a save whose schedule write
 *   was undone by a concurrent delete, say);
 * - a schedule the plan no longer has is deleted (a delete that failed after a save, or the
 *   schedule of a save that lost its conditional write).
 * Occurrences whose time has come without a final record are handed to dispatch again (see
 * overdue-occurrences.ts). Then the task's entry in the due index moves on to its earliest
 * occurrence not yet final, or else its next one to come, so the next run looks at it again
 * in time. One task's failure does not stop the others. Last, background jobs that stopped
 * moving get their step sent again (zone-change-job.ts).
 */
export async function reconcileSchedules(ports: Ports, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = ports.clock.now();
  const nowIso = utcSeconds(now);
  const horizonEnd = now.getTime() + options.horizonHours * 3_600_000;
  const until = utcSeconds(new Date(horizonEnd));
  // A change of zone can bring a notice up to 26 hours earlier: tasks due that much beyond
  // the horizon are looked at for their zone only.
  const due = await ports.store.queryDueTasks('0000', utcSeconds(new Date(horizonEnd + ZONE_SHIFT_MS)));
  const report: ReconcileReport = {
    tasks: due.length,
    created: 0,
    deleted: 0,
    advanced: 0,
    replanned: 0,
    resent: 0,
    overdue: 0,
    failed: 0,
    jobsRestarted: 0,
    jobsFailed: 0,
  };

  const zones = new Map<string, Promise<Settings>>();
  for (const { tenantId, task: indexed } of due) {
    try {
      if (!zones.has(tenantId)) zones.set(tenantId, getSettings(ports, tenantId));
      const earliest =
        indexed.plan.occurrences
          .filter((o) => o.state === 'scheduled')
          .map((o) => o.at)
          .sort()[0] ?? '0000';
      const beyond = earliest > until;
      if (beyond && plannedUnder(indexed.plan, await zones.get(tenantId)!)) continue;
      const listed = await ports.scheduler.list(taskSchedulePrefix(tenantId, indexed.id));
      // Read after listing, consistently: the due index may lag behind the table, and a save
      // may have run meanwhile; its schedules are then in the list or in this plan.
      const stored = await ports.store.getTask(tenantId, indexed.id);
      // A task still planned in a zone the firm has left is planned again first, in the zone
      // read now (the run's first read of the settings may predate a change).
      const stale = stored && !plannedUnder(stored.plan, await zones.get(tenantId)!);
      const replanned = stale ? await replanInZone(ports, tenantId, stored, await getSettings(ports, tenantId)) : undefined;
      if (replanned) report.replanned += 1;
      const task = replanned ?? stored;
      const planned = desiredSchedules(tenantId, task);
      const existing = new Set(listed.map((s) => s.name));
      for (const spec of planned.values()) {
        if (spec.at <= nowIso) continue; // due already: it fired, or fires within the Scheduler's minute
        if (existing.has(spec.name)) continue; // a name stands for its instant: nothing to compare
        await ports.scheduler.create(spec);
        report.created += 1;
      }
      for (const { name, createdAt } of listed) {
        // A schedule made in the last minutes may be a save's still under way: left for the next run.
        if (planned.has(name) || !createdAt || now.getTime() - createdAt.getTime() < SAVE_SETTLE_MS) continue;
        await ports.scheduler.delete(name);
        report.deleted += 1;
      }
      if (!task) continue;
      const sweep = await sweepOverdue(ports, tenantId, task, { graceMs: options.graceMinutes * 60_000 });
      report.resent += sweep.resent;
      report.overdue += sweep.overdue;
      const next =
        sweep.earliestUnsettled ??
        [...planned.values()]
          .map((s) => s.at)
          .filter((at) => at > nowIso)
          .sort()[0];
      if (await ports.store.setDueIndex(tenantId, task.id, task.version, next)) report.advanced += 1;
    } catch (error) {
      report.failed += 1;
      ports.log.error('reconcile failed for a task', { tenantId, taskId: indexed.id, error: (error as Error).message });
    }
  }
  const jobs = await restartStalledJobs(ports);
  return { ...report, jobsRestarted: jobs.restarted, jobsFailed: jobs.failed };
}
