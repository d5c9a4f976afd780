import * as z from 'zod';
import type { JobMessage } from '../api/job-message.schema.ts';
import type { ApplyRequest } from '../api/template.schemas.ts';
import { ended, isActive, type ApplyTemplateJob, type Job, type JobProblem, type TaskSelection } from '../domain/job.ts';
import { Notice, type Task } from '../domain/model.ts';
import { ConflictError, DependencyUnavailableError, ValidationError } from '../errors.ts';
import { JOBS_QUEUE } from '../jobs-queue.ts';
import type { Ports } from '../ports.ts';
import { idForKey, requestHash, type Idempotency } from './idempotent-create.ts';
import { jobFinished } from './job-finished.ts';
import { createJobOnce, inGroups, inputOf, resumeJob } from './job-start.ts';
import { sameNotices, withNotices } from './task-templates.ts';
import { everyTask, replaceTask, taskInput } from './tasks.ts';
import { getTemplate } from './templates.ts';
import { sendStep, type StepReport } from './zone-change-job.ts';

/** Task ids per part of a job's input: 500 ids are about 10 KB, a part is read once per 20 steps. */
export const IDS_PER_PART = 500;
/** Part 0 holds the template's notices as the request saw them; the task ids follow from part 1. */
const NOTICES_PART = 0;

/**
 * Starts applying a template to many tasks: answers at once with the job `queued`.
 * 1. The template as it is now (404), or 409 if it moved on from the `templateVersion` read.
 * 2. With an Idempotency-Key, the job's id comes from the key: a retry finds the job the first
 *    request started and gets it back; if it is still active, its current step is sent again
 *    (a crashed or lost step resumes; a copy of a step that is running is refused by the step).
 * 3. The job's input, in parts: the template's notices (the job applies this version even if
 *    the template changes meanwhile), then the task ids. Then the job item, then its first step.
 * A crash before the job item leaves parts no job names (harmless; a retry writes them again;
 * parts are named by the request too, so another request with the same key cannot change them);
 * after it, the job waits for its step: a retry with the key sends it, and else the reconciler.
 */
export async function startApplyJob(
  ports: Ports,
  tenantId: string,
  templateId: string,
  request: ApplyRequest,
  idempotency?: Idempotency,
): Promise<ApplyTemplateJob> {
  const template = await getTemplate(ports, tenantId, templateId);
  if (request.templateVersion !== undefined && request.templateVersion !== template.version) {
    throw new ConflictError(`the template changed since version ${request.templateVersion} was read; read it again`);
  }
  // The key is the firm's, across templates: the template is part of what it stands for.
  const key = idempotency ? { key: idempotency.key, requestHash: requestHash([templateId, idempotency.requestHash]) } : undefined;
  const id = key ? idForKey(tenantId, 'job', key.key) : ports.ids.newId();
  if (key) {
    const existing = await ports.store.getJob(tenantId, id);
    if (existing) return resumeJob(ports, tenantId, existing, key, 'apply-template');
  }
  const input = inputOf({ id, idempotency: key });
  await ports.store.putJobPart(tenantId, input, NOTICES_PART, [JSON.stringify(template.notices)]);
  const ids = request.taskIds ?? [];
  for (let part = 0; part * IDS_PER_PART < ids.length; part += 1) {
    await ports.store.putJobPart(tenantId, input, part + 1, ids.slice(part * IDS_PER_PART, (part + 1) * IDS_PER_PART));
  }
  const now = ports.clock.now().toISOString();
  const selection: TaskSelection = request.taskIds ? { by: 'ids', count: ids.length } : { by: 'filter', ...request.filter };
  const job: ApplyTemplateJob = {
    id,
    kind: 'apply-template',
    templateId,
    templateVersion: template.version,
    onlyLinked: request.onlyLinked,
    selection,
    state: 'queued',
    step: 0,
    done: 0,
    skipped: 0,
    failed: 0,
    ...(request.taskIds ? { total: ids.length } : {}),
    restarts: 0,
    startedAt: now,
    updatedAt: now,
    ...(key ? { idempotency: key } : {}),
  };
  return createJobOnce(ports, tenantId, job, key);
}

/** A task's outcome in a step: `done`, or a problem (skipped or failed). */
type Outcome = { done: true } | { done: false; problem: JobProblem };

/**
 * One step of an apply job, safe to run twice or at once with a copy of itself (SQS is
 * at-least-once; a step whose function timed out is handed out again):
 * 1. The message must name the step the job is at, or it is a late copy: nothing to do.
 * 2. The next tasks (at most tasksPerStep): from the job's list of ids, or the next page of
 *    the register's filter from the job's cursor.
 * 3. Each task through the task save path (applyToTask), a few at a time. The task's write
 *    is conditional on the version read and marks the task with the job's id, so a task is
 *    written by the job once: a step taken again finds the mark and counts it done without
 *    writing it. Each task not done is recorded as a problem (one item per task). If the
 *    Scheduler or the table was unavailable for a task, the step fails and SQS hands it out
 *    again after the visibility timeout (the tasks written already carry the mark).
 * 4. The new position and counts in one write, conditional on the step read: of two workers
 *    that took the same step, the second counts nothing.
 * 5. The next step's message, or `done`, told in one place (jobFinished).
 */
export async function runApplyStep(ports: Ports, message: JobMessage, read?: Job): Promise<StepReport> {
  const { tenantId } = message;
  const report = { tenantId, jobId: message.jobId, step: message.step, tasks: 0, replanned: 0, failed: 0 };
  const job = read ?? (await ports.store.getJob(tenantId, message.jobId));
  if (!job || job.kind !== 'apply-template' || !isActive(job) || job.step !== message.step) return { ...report, outcome: 'stale' };
  const notices = await noticesOf(ports, tenantId, job);
  const batch = await nextTasks(ports, tenantId, job);
  const outcomes = await inGroups(batch.tasks, TASKS_AT_ONCE, (entry) => taskOutcome(ports, tenantId, job, notices, entry));
  const unavailable = outcomes.filter((o) => o instanceof Error);
  if (unavailable.length) throw new DependencyUnavailableError(`${unavailable.length} of ${batch.tasks.length} tasks could not be saved yet`);
  const problems = (outcomes as Outcome[]).flatMap((o) => (o.done ? [] : [o.problem]));
  for (const problem of problems.filter((p) => isWorthListing(job, p))) await ports.store.putJobProblem(tenantId, job.id, problem);
  const now = ports.clock.now().toISOString();
  const moved: ApplyTemplateJob = {
    ...job,
    step: job.step + 1,
    cursor: batch.nextCursor,
    done: job.done + outcomes.length - problems.length,
    skipped: job.skipped + problems.filter((p) => p.outcome === 'skipped').length,
    failed: job.failed + problems.filter((p) => p.outcome === 'failed').length,
    restarts: 0,
    updatedAt: now,
  };
  const finished = batch.nextCursor === undefined;
  const next: ApplyTemplateJob = finished ? ended(moved, 'done', now) : { ...moved, state: 'running' };
  const counts = { tasks: batch.tasks.length, replanned: outcomes.length - problems.length, failed: problems.length };
  if (!(await ports.store.saveJob(tenantId, next, job.step))) return { ...report, ...counts, outcome: 'lost' };
  if (finished) await jobFinished(ports, tenantId, next);
  else await sendStep(ports, tenantId, next);
  return { ...report, ...counts, outcome: finished ? 'done' : 'running' };
}

/**
 * Every task the firm named by id that was not done is listed, and every failure; a task a
 * filter swept in and that was skipped by design (completed, not following the template) is
 * only counted: over a whole register those would be thousands of items that say nothing.
 */
function isWorthListing(job: ApplyTemplateJob, problem: JobProblem): boolean {
  return problem.outcome === 'failed' || job.selection.by === 'ids';
}

/** Saves at once within a step: a few, so that two jobs together stay far below the Scheduler's request quotas. */
const TASKS_AT_ONCE = 5;

async function noticesOf(ports: Ports, tenantId: string, job: ApplyTemplateJob): Promise<Notice[]> {
  const part = await ports.store.getJobPart(tenantId, inputOf(job), NOTICES_PART);
  if (!part?.[0]) throw new DependencyUnavailableError(`job ${job.id} has lost its notices`);
  return z.array(Notice).parse(JSON.parse(part[0]));
}

/** The next tasks of the job, each with its id (a listed id may name no task), and where the next step reads on. */
async function nextTasks(ports: Ports, tenantId: string, job: ApplyTemplateJob): Promise<{ tasks: { id: string; task?: Task }[]; nextCursor?: string }> {
  if (job.selection.by === 'filter') {
    const { by: _by, ...filter } = job.selection;
    const page = everyTask(
      await ports.store.queryTasks(tenantId, { ...filter, limit: JOBS_QUEUE.tasksPerStep, ...(job.cursor ? { cursor: job.cursor } : {}) }),
    );
    return { tasks: page.items.map((task) => ({ id: task.id, task })), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
  const position = Number(job.cursor ?? 0);
  const part = (await ports.store.getJobPart(tenantId, inputOf(job), 1 + Math.floor(position / IDS_PER_PART))) ?? [];
  const offset = position % IDS_PER_PART;
  const ids = part.slice(offset, offset + JOBS_QUEUE.tasksPerStep);
  const tasks = await Promise.all(ids.map(async (id) => ({ id, task: await ports.store.getTask(tenantId, id) })));
  const end = position + ids.length;
  return { tasks, ...(end < job.selection.count ? { nextCursor: String(end) } : {}) };
}

/**
 * What becomes of one task. "Changed meanwhile" means saved after the job started (its
 * `updatedAt` is later than the job's `startedAt`) by anything but this job: the firm's
 * edit made after it asked for the apply is never overwritten, it is reported.
 * Errors the task's save can answer for (a refusal, a conflict) are outcomes; any other
 * error (the Scheduler or the table unavailable) is returned for the step to fail on.
 */
async function taskOutcome(
  ports: Ports,
  tenantId: string,
  job: ApplyTemplateJob,
  notices: Notice[],
  entry: { id: string; task?: Task },
): Promise<Outcome | Error> {
  const problem = (outcome: JobProblem['outcome'], code: string, message: string, extra: Partial<JobProblem> = {}): Outcome => ({
    done: false,
    problem: { taskId: entry.id, outcome, code, message, ...extra },
  });
  let task = entry.task;
  for (let tries = 0; tries < 2; tries += 1) {
    if (!task) return problem('skipped', 'not-found', 'no such task in this firm (deleted, or never there)');
    if (task.template?.job === job.id) return { done: true };
    if (task.status !== 'open') return problem('skipped', 'completed', 'the task is completed; only open tasks are changed');
    if (job.onlyLinked && task.template?.id !== job.templateId)
      return problem('skipped', 'not-linked', 'the task does not follow this template (made otherwise, or its notices were changed by hand)');
    // Before "changed": a task saved meanwhile that has exactly these notices already (another
    // apply of this template at the same time, say) needs nothing, and nothing of it is lost.
    if (task.template?.id === job.templateId && task.template.version === job.templateVersion && sameNotices(task.notices, notices)) {
      return problem('skipped', 'up-to-date', 'the task has this version of the template already');
    }
    if (task.updatedAt > job.startedAt)
      return problem(
        'failed',
        'changed',
        `the task was saved after the job started (version ${task.version}); it was left as it is: apply again to include it`,
      );
    try {
      await applyToTask(ports, tenantId, task, notices, job);
      return { done: true };
    } catch (error) {
      if (error instanceof ValidationError) return problem('failed', 'invalid', "the template's notices do not fit this task", { errors: error.issues });
      if (!(error instanceof ConflictError)) return error as Error;
      // Saved meanwhile, by the firm or by a copy of this step: read again and look again.
      task = await ports.store.getTask(tenantId, entry.id);
    }
  }
  return problem('failed', 'changed', 'the task kept changing while the job saved it; it was left as it is');
}

/** The task with the template's notices, saved exactly as a PUT of that task would save it, and marked by the job. */
async function applyToTask(ports: Ports, tenantId: string, task: Task, notices: Notice[], job: ApplyTemplateJob): Promise<void> {
  const { version: _version, ...fields } = taskInput(task);
  const input = withNotices(fields, notices);
  await replaceTask(ports, tenantId, task, input, () => ({ id: job.templateId, version: job.templateVersion, job: job.id }));
}
