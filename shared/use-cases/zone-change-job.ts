import { DependencyUnavailableError } from '../errors.ts';
import type { JobMessage } from '../api/job-message.schema.ts';
import { ended, isActive, type Job, type ZoneChangeJob } from '../domain/job.ts';
import { jobFinished } from './job-finished.ts';
import { JOBS_QUEUE } from '../jobs-queue.ts';
import type { Ports } from '../ports.ts';
import { getSettings } from './settings.ts';
import { everyTask, replanInZone } from './tasks.ts';

/** What one step did: the jobs function logs it. */
export interface StepReport {
  tenantId: string;
  jobId: string;
  step: number;
  /**
   * `running` or `done`: the step was taken. `superseded`: a newer change of time zone took
   * the job's place. `stale`: a copy of a step already taken, or of a job that ended.
   * `lost`: another worker took the same step first, and counted it.
   */
  outcome: 'running' | 'done' | 'superseded' | 'stale' | 'lost';
  /** Open tasks the step went through; never more than JOBS_QUEUE.tasksPerStep. */
  tasks: number;
  replanned: number;
  failed: number;
}

/** A new job that re-plans the firm's open tasks in `timeZone`, stored `queued`; its first step is not sent yet. */
export async function createZoneChangeJob(ports: Ports, tenantId: string, timeZone: string): Promise<ZoneChangeJob> {
  const now = ports.clock.now().toISOString();
  const job: ZoneChangeJob = {
    id: ports.ids.newId(),
    kind: 'replan-zone',
    timeZone,
    state: 'queued',
    step: 0,
    replanned: 0,
    failed: 0,
    restarts: 0,
    startedAt: now,
    updatedAt: now,
  };
  await ports.store.createJob(tenantId, job);
  return job;
}

/**
 * Sends the job's next step. A failure is logged, not thrown: the job stays active and
 * unmoved, and the reconciler hands its step out again (restartStalledJobs).
 */
export async function sendStep(ports: Ports, tenantId: string, job: Job): Promise<boolean> {
  try {
    await ports.jobs.send({ tenantId, jobId: job.id, step: job.step });
    return true;
  } catch (error) {
    ports.log.error('job step not sent; the reconciler sends it again', { tenantId, jobId: job.id, step: job.step, error: (error as Error).message });
    return false;
  }
}

/**
 * One step of a change of time zone, safe to run twice or at once with a copy of itself:
 * 1. The message must name the step the job is at, or it is a late copy: nothing to do.
 * 2. Settings that name another job mean a newer change took over: the job ends `superseded`.
 * 3. The next page of open tasks (at most tasksPerStep), from the job's cursor, each planned
 *    in the new zone; a task planned there already is left as it is (replanInZone), so a
 *    step taken again after a crash re-plans nothing twice. If a task fails, the step fails
 *    and is taken again after the queue's visibility timeout.
 * 4. The new cursor and counts in one write, conditional on the step read: a worker that
 *    took the same step at the same time loses it and counts nothing.
 * 5. The next step's message, or `done` when the tasks ran out.
 * A crash anywhere before 4 leaves the job as it was: SQS hands the message out again
 * after its visibility timeout, and the step is taken again.
 */
export async function runZoneChangeStep(ports: Ports, message: JobMessage, read?: Job): Promise<StepReport> {
  const { tenantId } = message;
  const report = { tenantId, jobId: message.jobId, step: message.step, tasks: 0, replanned: 0, failed: 0 };
  const job = read ?? (await ports.store.getJob(tenantId, message.jobId));
  if (!job || job.kind !== 'replan-zone' || !isActive(job) || job.step !== message.step) return { ...report, outcome: 'stale' };
  const settings = await getSettings(ports, tenantId);
  if (settings.timeZoneJobId !== job.id) {
    const superseded = ended(job, 'superseded', ports.clock.now().toISOString());
    if (await ports.store.saveJob(tenantId, superseded, job.step)) await jobFinished(ports, tenantId, superseded);
    return { ...report, outcome: 'superseded' };
  }
  const page = everyTask(
    await ports.store.queryTasks(tenantId, { status: 'open', limit: JOBS_QUEUE.tasksPerStep, ...(job.cursor ? { cursor: job.cursor } : {}) }),
  );
  for (const task of page.items) {
    try {
      // Moved now, planned in the zone already, or saved meanwhile by a save that planned in it.
      await replanInZone(ports, tenantId, task, settings);
      report.replanned += 1;
    } catch (error) {
      report.failed += 1;
      ports.log.warn('task left to the reconciler after a time zone change', { tenantId, taskId: task.id, error: (error as Error).message });
    }
  }
  // A task that could not be moved (the Scheduler busy) is not left behind: the step fails
  // and SQS hands it out again; the tasks moved already are skipped then.
  if (report.failed) throw new DependencyUnavailableError(`${report.failed} of ${page.items.length} tasks could not be planned in the new zone yet`);
  const now = ports.clock.now().toISOString();
  const moved: ZoneChangeJob = {
    ...job,
    step: job.step + 1,
    cursor: page.nextCursor,
    replanned: job.replanned + report.replanned,
    failed: job.failed + report.failed,
    restarts: 0,
    updatedAt: now,
  };
  const done = page.nextCursor === undefined;
  const next: ZoneChangeJob = done ? ended(moved, 'done', now) : { ...moved, state: 'running' };
  const tasks = page.items.length;
  if (!(await ports.store.saveJob(tenantId, next, job.step))) return { ...report, tasks, outcome: 'lost' };
  if (done) await jobFinished(ports, tenantId, next);
  else await sendStep(ports, tenantId, next);
  return { ...report, tasks, outcome: done ? 'done' : 'running' };
}

/**
 * The reconciler's part: an active job that has not moved for JOBS_QUEUE.stalledAfterSeconds
 * has no message left (its first send failed after the settings were saved, a later send
 * failed, or its message went to the dead-letter queue). Its step is handed out again, at
 * most maxRestarts times in a row without progress; then it is given up as `failed`, and its
 * open tasks are re-planned by the reconciler before their next notice, as any other task
 * left in an old zone. An ended job whose `job.finished` was never published is told now.
 */
/** What a job given up says (GET /jobs/{id} `reason`). */
const givenUpReason = `its step was handed out again ${JOBS_QUEUE.maxRestarts} times without the job moving (its messages were lost, or the Scheduler or the table kept failing)`;

export async function restartStalledJobs(ports: Ports): Promise<{ restarted: number; failed: number }> {
  const now = ports.clock.now();
  const before = new Date(now.getTime() - JOBS_QUEUE.stalledAfterSeconds * 1000).toISOString();
  const result = { restarted: 0, failed: 0 };
  for (const { tenantId, job } of await ports.store.queryStalledJobs(before)) {
    const ids = { tenantId, jobId: job.id, step: job.step, restarts: job.restarts };
    try {
      // Ended, but its job.finished was never published (a crash or SQS failing at the end).
      if (!isActive(job)) {
        await jobFinished(ports, tenantId, job);
        continue;
      }
      if (job.restarts >= JOBS_QUEUE.maxRestarts) {
        const givenUp = { ...ended(job, 'failed', now.toISOString()), reason: givenUpReason };
        if (await ports.store.saveJob(tenantId, givenUp, job.step)) {
          result.failed += 1;
          await jobFinished(ports, tenantId, givenUp);
          ports.log.error('job given up: it did not move after being handed out again', ids);
        }
        continue;
      }
      const restarted: Job = { ...job, restarts: job.restarts + 1, updatedAt: now.toISOString() };
      // A job that moved since the query is not stalled: leave it to its own message.
      if (!(await ports.store.saveJob(tenantId, restarted, job.step))) continue;
      if (await sendStep(ports, tenantId, restarted)) result.restarted += 1;
      else result.failed += 1;
    } catch (error) {
      result.failed += 1;
      ports.log.error('stalled job not handed out again', { ...ids, error: (error as Error).message });
    }
  }
  return result;
}
