import * as z from 'zod';
import { schema } from './schema.ts';

/**
 * Long work in the background, done in steps by the jobs function (shared/use-cases/job-steps.ts).
 * A job moves `queued` → `running` → `done`; it ends `superseded` when a newer zone change
 * took its place, and `failed` when the reconciler gave up handing out a step that never moved.
 */
export const JobState = /* @__PURE__ */ schema(() => z.enum(['queued', 'running', 'done', 'superseded', 'failed']));
export type JobState = z.infer<typeof JobState>;

/** What every kind of job has: its state, where its steps are, its stamps. */
const jobBase = /* @__PURE__ */ schema(() => ({
  id: z.string(),
  state: JobState,
  /** Steps done. A step message names the step it is for, so a late copy finds the job moved on. */
  step: z.int(),
  /** Where the next step reads on (a page cursor, or a position in the job's own list); absent before the first step. */
  cursor: z.string().optional(),
  /** Times the reconciler handed out a step since the job last moved. */
  restarts: z.int(),
  /** Set when an Idempotency-Key started the job: a retry of the request finds it. */
  idempotency: z.object({ key: z.string(), requestHash: z.string() }).optional(),
  startedAt: z.iso.datetime(),
  /** The last time the job moved (or was handed out again). */
  updatedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  /** Why the job ended `failed`, in words for the firm. */
  reason: z.string().optional(),
  /** Set once `job.finished` is on the webhooks queue: until then an ended job stays where the reconciler looks. */
  announced: z.boolean().optional(),
}));

/** Re-plan the firm's open tasks in `timeZone` (shared/use-cases/zone-change-job.ts). */
export const ZoneChangeJob = /* @__PURE__ */ schema(() =>
  z.object({
    ...jobBase,
    kind: z.literal('replan-zone'),
    timeZone: z.string(),
    /** Open tasks the steps passed that are planned in `timeZone` now. */
    replanned: z.int(),
    /** Open tasks a step could not re-plan (the Scheduler busy): the reconciler re-plans them before their next notice. */
    failed: z.int(),
  }),
);
export type ZoneChangeJob = z.infer<typeof ZoneChangeJob>;

/**
 * Work on many tasks, one outcome each (shared/use-cases/apply-template-job.ts): `done`,
 * `skipped` (nothing to do, by design) or `failed` (the firm should look); every task not
 * done is also recorded as a job problem (JobProblem), which GET /jobs/{id}/problems pages.
 */
const counted = /* @__PURE__ */ schema(() => ({
  done: z.int(),
  skipped: z.int(),
  failed: z.int(),
  /** Tasks to go through when known at the start (a list of ids); absent for a filter. */
  total: z.int().optional(),
}));

/** Which tasks a job goes through: the ids it was given (kept in its parts), or the register's filter. */
export const TaskSelection = /* @__PURE__ */ schema(() =>
  z.discriminatedUnion('by', [
    z.object({ by: z.literal('ids'), count: z.int() }),
    z.object({
      by: z.literal('filter'),
      customerId: z.string().optional(),
      status: z.enum(['open', 'completed']).optional(),
      deadlineFrom: z.string().optional(),
      deadlineTo: z.string().optional(),
      hasNotices: z.boolean().optional(),
    }),
  ]),
);
export type TaskSelection = z.infer<typeof TaskSelection>;

/** Give tasks a template's notices (its version at the request), each through the task save path. */
export const ApplyTemplateJob = /* @__PURE__ */ schema(() =>
  z.object({
    ...jobBase,
    ...counted,
    kind: z.literal('apply-template'),
    templateId: z.string(),
    templateVersion: z.int(),
    onlyLinked: z.boolean(),
    selection: TaskSelection,
  }),
);
export type ApplyTemplateJob = z.infer<typeof ApplyTemplateJob>;

/**
 * Import a CSV file of customers and tasks (shared/use-cases/import-job.ts), one outcome per
 * data row: `done` (it created a customer or a task), `skipped` (the file's customer and task
 * were there already), `failed` (a bad row, or one the save refused). The rows, read and
 * checked at the request, are kept in the job's parts (`parts` of them), in the file's order.
 */
export const ImportJob = /* @__PURE__ */ schema(() =>
  z.object({
    ...jobBase,
    ...counted,
    kind: z.literal('import'),
    parts: z.int(),
  }),
);
export type ImportJob = z.infer<typeof ImportJob>;

export const Job = /* @__PURE__ */ schema(() => z.discriminatedUnion('kind', [ZoneChangeJob, ApplyTemplateJob, ImportJob]));
export type Job = z.infer<typeof Job>;
export type JobKind = Job['kind'];

/**
 * One task a job did not do, or one row of an import, and why: `code` is a short word,
 * `message` says it to a person. A task's problem names the task (`taskId`); an import's
 * names the row's `line` and the `column` (its header as the file writes it) and the `rule`.
 */
export const JobProblem = /* @__PURE__ */ schema(() =>
  z.object({
    taskId: z.string().optional(),
    line: z.int().optional(),
    column: z.string().optional(),
    rule: z.string().optional(),
    outcome: z.enum(['skipped', 'failed']),
    code: z.string(),
    message: z.string(),
    /** Field-level rules, when the task's save refused the change (as a 422 would name them). */
    errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
  }),
);
export type JobProblem = z.infer<typeof JobProblem>;

/**
 * Where a problem sorts among its job's: a task's by its id; a row's by its line, then its
 * place among the row's problems (`index`), so a step taken again writes the same items.
 */
export function problemKey(problem: JobProblem, index = 0): string {
  if (problem.line === undefined) return problem.taskId ?? '';
  return `L${String(problem.line).padStart(7, '0')}#${String(index).padStart(3, '0')}`;
}

export function isActive(job: Pick<Job, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** A job at its end: `done`, or given up or replaced. */
export function ended<J extends Job>(job: J, state: 'done' | 'superseded' | 'failed', now: string): J {
  return { ...job, state, updatedAt: now, finishedAt: now };
}
