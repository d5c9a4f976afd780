import type { Occurrence, Task } from '../domain/model.ts';
import { utcSeconds } from '../domain/plan-occurrences.ts';
import { scheduleName } from '../domain/schedule-names.ts';
import { ConflictError } from '../errors.ts';
import type { Ports, ScheduleSpec } from '../ports.ts';
import { holdChanges, holdCustomer, releaseCustomer } from './customer-holds.ts';

/**
 * What of a task its schedules come from: its plan, and its customer as a hint for dispatch
 * when it is known (a damaged task's notices are not needed).
 */
type Planned = Pick<Task, 'id' | 'version' | 'plan'> & Partial<Pick<Task, 'customerId'>>;

/**
 * The schedules a task's plan calls for: one per occurrence still `scheduled`. Each message
 * names the task's customer, so that dispatch reads it with the task (dispatch-notice.ts); a
 * schedule is known by its name alone, so one written for an earlier customer is not made
 * again when the task moves: dispatch reads the task's customer then.
 */
export function desiredSchedules(tenantId: string, task: Planned | undefined): Map<string, ScheduleSpec> {
  const specs = new Map<string, ScheduleSpec>();
  for (const o of task?.plan.occurrences ?? []) {
    if (o.state !== 'scheduled') continue;
    const name = scheduleName(tenantId, task!.id, o.noticeId, o.repetition, o.at);
    specs.set(name, {
      name,
      at: o.at,
      input: {
        tenantId,
        taskId: task!.id,
        noticeId: o.noticeId,
        occurrenceAt: o.at,
        planVersion: o.planVersion ?? task!.version,
        customerId: task!.customerId,
      },
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

/** One occurrence may be two (quiet hours split it by channel): the instant tells them apart. */
function occurrenceKey(o: Occurrence): string {
  return `${o.noticeId}.${o.repetition}@${o.at}`;
}

export interface ScheduleChanges {
  creates: ScheduleSpec[];
  deletes: string[];
  /** Whether the next plan wants schedules of the previous one, left as they are. */
  kept: boolean;
}

/**
 * Only what changed: schedules are immutable, so a moved occurrence is one create and one
 * delete. The stored plan says which schedules still exist: one whose time has passed has
 * fired and deleted itself (ActionAfterCompletion DELETE), so it is not deleted again. Should
 * it still be on its way (the Scheduler's minute, its retries toward the queue), it fires into
 * a dispatch that finds the occurrence gone from the plan and does nothing.
 */
export function scheduleChanges(tenantId: string, previous: Planned | undefined, next: Planned | undefined, now: Date): ScheduleChanges {
  const before = desiredSchedules(tenantId, previous);
  const after = desiredSchedules(tenantId, next);
  const nowIso = utcSeconds(now);
  return {
    creates: [...after.values()].filter((spec) => !before.has(spec.name)),
    deletes: [...before.values()].filter((spec) => !after.has(spec.name) && spec.at > nowIso).map((spec) => spec.name),
    kept: [...after.keys()].some((name) => before.has(name)),
  };
}

/**
 * Saves a task so that, as the Scheduler and the customer's count of tasks see it, the save
 * is all or nothing:
 * 0. A task that comes onto a customer (a create, a move) first holds it (customer-holds.ts):
 *    a customer deleted since it was read is a 422 before anything else is done.
 * 1. Create the schedules of new occurrences. A Scheduler failure fails the save (503)
 *    before anything is written; schedules it did create name instants no stored plan has.
 * 2. The conditional write of the task. Losing it (409) or failing (503) leaves only such
 *    schedules, which are removed again where the stored plan does not want them. Should
 *    that clean-up fail too, they fire into a dispatch that finds no such occurrence in the
 *    stored plan and does nothing, and are gone once fired (the winning save confirmed the
 *    task, so only a full reconciler run lists them). A save refused for sure
 *    (step 1 failed, or the write's condition) releases its hold; one whose write went out
 *    and failed may have been carried out, so it keeps the hold (the age guard ends it).
 * 3. Release the customer the task left (a move), delete the schedules of vanished
 *    occurrences, then look again: a concurrent save that committed meanwhile may want one of
 *    those names back (it created it before our delete landed), so whatever the stored plan
 *    wants is created again.
 * 4. Mark the schedules confirmed at this version: in the write of step 2 when no schedule
 *    existed already (step 1 made all the plan wants, but those it keeps from the previous
 *    version, which count only if that version was confirmed), else by a conditional write
 *    of its own once every call of step 3 succeeded and it kept none. A failed delete of step 3 leaves a schedule the
 *    plan does not want, which fires into a dispatch that does nothing, never a missing one.
 * Names are immutable (see schedule-names.ts), so no step can move a schedule another save made.
 */
export async function saveWithSchedules(ports: Ports, tenantId: string, previous: Task | undefined, next: Task): Promise<void> {
  const changes = scheduleChanges(tenantId, previous, next, ports.clock.now());
  const holds = holdChanges(previous, next);
  if (holds.take) await holdCustomer(ports, tenantId, holds.take);
  let existed: ScheduleSpec[] | undefined;
  try {
    existed = await createSchedules(ports, changes.creates);
    // Every schedule the plan wants was made before the write, or kept from the previous
    // version (confirmed only if that version was), unless one existed already (it is made
    // again after the write): else the write itself carries the mark. The deletes after it
    // only remove schedules the plan no longer has; one left behind fires into nothing.
    const confirmed = changes.kept ? 'kept' : 'made';
    await ports.store.putTask(tenantId, next, previous?.version, existed.length ? {} : { schedulesConfirmed: confirmed });
  } catch (error) {
    await keepOnlyWanted(
      ports,
      tenantId,
      next.id,
      changes.creates.map((s) => s.name),
    );
    const refused = existed === undefined || error instanceof ConflictError;
    if (holds.take && refused) await releaseCustomer(ports, tenantId, holds.take);
    throw error;
  }
  if (holds.release) await releaseCustomer(ports, tenantId, holds.release);
  // A schedule that existed already may belong to a concurrent save that is deleting it
  // right now (a completion racing this reopen): created again after the write, it stays.
  const recreated = existed.length
    ? await createSchedules(ports, existed).then(
        () => true,
        (error: unknown) => leftToReconciler(ports, tenantId, next.id, error),
      )
    : true;
  const deleted = await deleteSchedules(ports, changes.deletes);
  const restored = changes.deletes.length ? await restoreWanted(ports, tenantId, next.id, changes.deletes) : true;
  // Schedules kept from the previous version are not known here to be there (its mark is
  // gone with the write): such a save is left to the reconciler, as a rare retry or race.
  if (existed.length && !changes.kept && recreated && deleted && restored) await confirmSynced(ports, tenantId, next);
}

/**
 * Step 4: marks the schedules confirmed at the saved version (table-layout.ts,
 * SCHEDULES_CONFIRMED), so the reconciler need not list them. Conditional on the version: a
 * newer save that committed meanwhile keeps its own, unconfirmed state. The save stands
 * whatever happens here: without the mark the reconciler checks the task on its next run. A
 * task with no schedule left (completed, say) is out of the reconciler's index: no mark.
 */
async function confirmSynced(ports: Ports, tenantId: string, task: Task): Promise<void> {
  if (!desiredSchedules(tenantId, task).size) return;
  try {
    await ports.store.confirmSchedules(tenantId, task.id, task.version);
  } catch (error) {
    leftToReconciler(ports, tenantId, task.id, error);
  }
}

/**
 * Removes a task's schedules after it is deleted, then looks again as saveWithSchedules does
 * (a task re-created under the same id meanwhile keeps its schedules).
 */
export async function removeSchedules(ports: Ports, tenantId: string, task: Planned): Promise<void> {
  const { deletes } = scheduleChanges(tenantId, task, undefined, ports.clock.now());
  await deleteSchedules(ports, deletes);
  if (deletes.length) await restoreWanted(ports, tenantId, task.id, deletes);
}

/**
 * A few at a time: the Scheduler's API has a modest request rate per account. Every call of
 * a batch is waited for, failed or not, before the error is thrown: a create still under way
 * after the save gave up would land after its clean-up. Returns the specs that existed already.
 */
export async function createSchedules(ports: Pick<Ports, 'scheduler'>, specs: ScheduleSpec[]): Promise<ScheduleSpec[]> {
  const existed: ScheduleSpec[] = [];
  for (let i = 0; i < specs.length; i += CREATE_BATCH) {
    const batch = specs.slice(i, i + CREATE_BATCH);
    const results = await Promise.allSettled(batch.map((spec) => ports.scheduler.create(spec)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    results.forEach((r, j) => r.status === 'fulfilled' && r.value === 'existed' && existed.push(batch[j]!));
  }
  return existed;
}

/** Logs what the reconciler will repair; false, for the sync it leaves unconfirmed. */
function leftToReconciler(ports: Pick<Ports, 'log'>, tenantId: string, taskId: string, error: unknown): false {
  ports.log.warn('schedules left to the reconciler', { tenantId, taskId, error: (error as Error).message });
  return false;
}

const CREATE_BATCH = 8;

/**
 * Deletes vanished schedules after the save. A failure is logged, not returned: the save
 * stands, the leftover schedule fires into a dispatch that finds its occurrence gone and does
 * nothing, and the reconciler removes it when the task is next in its horizon.
 */
async function deleteSchedules(ports: Pick<Ports, 'scheduler' | 'log'>, names: string[]): Promise<boolean> {
  const results = await Promise.allSettled(names.map((name) => ports.scheduler.delete(name)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed) ports.log.warn('schedules left to the reconciler', { failed, total: names.length });
  return failed === 0;
}

/** After a failed save: deletes the schedules it created that the stored plan does not want. */
async function keepOnlyWanted(ports: Ports, tenantId: string, taskId: string, created: string[]): Promise<void> {
  if (!created.length) return;
  try {
    const wanted = desiredSchedules(tenantId, await ports.store.getTask(tenantId, taskId));
    await deleteSchedules(
      ports,
      created.filter((name) => !wanted.has(name)),
    );
  } catch (error) {
    leftToReconciler(ports, tenantId, taskId, error);
  }
}

/** Creates again any of `deleted` that the stored plan wants (a concurrent save committed it); false when that failed. */
async function restoreWanted(ports: Ports, tenantId: string, taskId: string, deleted: string[]): Promise<boolean> {
  try {
    const wanted = desiredSchedules(tenantId, await ports.store.getTask(tenantId, taskId));
    await createSchedules(
      ports,
      deleted.flatMap((name) => wanted.get(name) ?? []),
    );
    return true;
  } catch (error) {
    return leftToReconciler(ports, tenantId, taskId, error);
  }
}
