/**
 * Long work in the background, done in steps by the jobs function (shared/use-cases/zone-change-job.ts).
 * A job moves `queued` → `running` → `done`; it ends `superseded` when a newer zone change
 * took its place, and `failed` when the reconciler gave up handing out a step that never moved.
 */
export type JobState = 'queued' | 'running' | 'done' | 'superseded' | 'failed';

export interface Job {
  id: string;
  /** Re-plan the firm's open tasks in `timeZone` (the only kind so far). */
  kind: 'replan-zone';
  timeZone: string;
  state: JobState;
  /** Steps done. A step message names the step it is for, so a late copy finds the job moved on. */
  step: number;
  /** Where the next step reads on in the firm's open tasks (a page cursor); absent before the first step. */
  cursor?: string;
  /** Open tasks the steps passed that are planned in `timeZone` now. */
  replanned: number;
  /** Open tasks a step could not re-plan (the Scheduler busy): the reconciler re-plans them before their next notice. */
  failed: number;
  /** Times the reconciler handed out a step since the job last moved. */
  restarts: number;
  startedAt: string;
  /** The last time the job moved (or was handed out again). */
  updatedAt: string;
  finishedAt?: string;
}

/** The body of a message on the jobs queue: one step of one job. */
export interface JobMessage {
  tenantId: string;
  jobId: string;
  step: number;
}

export function isActive(job: Pick<Job, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}
