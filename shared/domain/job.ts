import * as z from 'zod';

/**
 * Long work in the background, done in steps by the jobs function (shared/use-cases/zone-change-job.ts).
 * A job moves `queued` → `running` → `done`; it ends `superseded` when a newer zone change
 * took its place, and `failed` when the reconciler gave up handing out a step that never moved.
 */
export const JobState = z.enum(['queued', 'running', 'done', 'superseded', 'failed']);
export type JobState = z.infer<typeof JobState>;

export const Job = z.object({
  id: z.string(),
  /** Re-plan the firm's open tasks in `timeZone` (the only kind so far). */
  kind: z.literal('replan-zone'),
  timeZone: z.string(),
  state: JobState,
  /** Steps done. A step message names the step it is for, so a late copy finds the job moved on. */
  step: z.int(),
  /** Where the next step reads on in the firm's open tasks (a page cursor); absent before the first step. */
  cursor: z.string().optional(),
  /** Open tasks the steps passed that are planned in `timeZone` now. */
  replanned: z.int(),
  /** Open tasks a step could not re-plan (the Scheduler busy): the reconciler re-plans them before their next notice. */
  failed: z.int(),
  /** Times the reconciler handed out a step since the job last moved. */
  restarts: z.int(),
  startedAt: z.iso.datetime(),
  /** The last time the job moved (or was handed out again). */
  updatedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
});
export type Job = z.infer<typeof Job>;

export function isActive(job: Pick<Job, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}
