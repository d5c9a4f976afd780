import type { Task } from '../domain/model.ts';
import type { Occurrence } from '../domain/plan-occurrences.ts';
import { scheduleName } from '../domain/schedule-names.ts';
import type { Ports, ScheduleSpec } from '../ports.ts';

/** The schedules a task's plan calls for: one per occurrence still `scheduled`. */
export function desiredSchedules(tenantId: string, task: Task | undefined): Map<string, ScheduleSpec> {
  const specs = new Map<string, ScheduleSpec>();
  for (const o of task?.plan.occurrences ?? []) {
    if (o.state !== 'scheduled') continue;
    const name = scheduleName(tenantId, task!.id, o.noticeId, o.repetition);
    specs.set(name, {
      name,
      at: o.at,
      input: { tenantId, taskId: task!.id, noticeId: o.noticeId, occurrenceAt: o.at, planVersion: o.planVersion ?? task!.version },
    });
  }
  return specs;
}

/**
 * Stamps each occurrence with the version whose save wrote its schedule: an occurrence that
 * was scheduled before at the same instant keeps its old stamp (its schedule is untouched);
 * a new or moved one gets the version being saved.
 */
export function stampPlanVersions(previous: Task | undefined, occurrences: Occurrence[], version: number): Occurrence[] {
  const before = new Map((previous?.plan.occurrences ?? []).map((o) => [occurrenceKey(o), o]));
  return occurrences.map((o) => {
    const old = before.get(occurrenceKey(o));
    const unchanged = old?.state === 'scheduled' && o.state === 'scheduled' && old.at === o.at;
    return { ...o, planVersion: unchanged ? (old.planVersion ?? version) : version };
  });
}

function occurrenceKey(o: Occurrence): string {
  return `${o.noticeId}.${o.repetition}`;
}

export interface ScheduleChanges {
  upserts: ScheduleSpec[];
  deletes: string[];
}

/** Only what changed: new or moved occurrences are upserted, vanished ones deleted. */
export function scheduleChanges(tenantId: string, previous: Task | undefined, next: Task | undefined): ScheduleChanges {
  const before = desiredSchedules(tenantId, previous);
  const after = desiredSchedules(tenantId, next);
  return {
    upserts: [...after.values()].filter((spec) => before.get(spec.name)?.at !== spec.at),
    deletes: [...before.keys()].filter((name) => !after.has(name)),
  };
}

/**
 * Writes schedules before the task is saved. A failure here fails the save (503) with
 * nothing written to the table; the schedules already upserted are harmless (dispatch
 * skips an occurrence that is not in the stored plan) and a retry upserts them again.
 */
export async function upsertSchedules(ports: Pick<Ports, 'scheduler'>, changes: ScheduleChanges): Promise<void> {
  // A few at a time: the Scheduler's API has a modest request rate per account.
  for (let i = 0; i < changes.upserts.length; i += UPSERT_BATCH) {
    await Promise.all(changes.upserts.slice(i, i + UPSERT_BATCH).map((spec) => ports.scheduler.upsert(spec)));
  }
}

const UPSERT_BATCH = 8;

/**
 * Deletes vanished schedules after the save. A failure is logged, not returned: the save
 * stands, the leftover schedule fires into a dispatch that finds its occurrence gone and
 * records a skip, and the reconciler removes it within the hour if it is due soon.
 */
export async function deleteSchedules(ports: Pick<Ports, 'scheduler' | 'log'>, changes: ScheduleChanges): Promise<void> {
  const results = await Promise.allSettled(changes.deletes.map((name) => ports.scheduler.delete(name)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed) ports.log.warn('schedules left to the reconciler', { failed, total: changes.deletes.length });
}
