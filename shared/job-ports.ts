import type { JobMessage } from './api/job-message.schema.ts';
import type { Job, JobProblem } from './domain/job.ts';
import type { Page } from './domain/model.ts';

/**
 * The ports of background jobs (shared/use-cases/zone-change-job.ts), apart from ports.ts:
 * the job items live in the single table (Store extends JobStore), the steps on a queue.
 */
export interface JobStore {
  /** Creates the job item; ConflictError if its id exists. */
  createJob(tenantId: string, job: Job): Promise<void>;
  getJob(tenantId: string, id: string): Promise<Job | undefined>;
  /**
   * Replaces the job if it is still active at step `readStep` (a conditional write): false
   * when it is not, because another worker took that step or the job ended.
   */
  saveJob(tenantId: string, job: Job, readStep: number): Promise<boolean>;
  /** One part of a job's input (a chunk of task ids); written before the job, idempotently. */
  putJobPart(tenantId: string, jobId: string, part: number, values: string[]): Promise<void>;
  getJobPart(tenantId: string, jobId: string, part: number): Promise<string[] | undefined>;
  /**
   * Records a task the job did not do, or a row of an import (`index`: its place among the
   * row's problems); writing the same problem again replaces it.
   */
  putJobProblem(tenantId: string, jobId: string, problem: JobProblem, index?: number): Promise<void>;
  /** The job's problems, by task id (an import's by line), paged. */
  listJobProblems(tenantId: string, jobId: string, page: { limit: number; cursor?: string }): Promise<Page<JobProblem>>;
  /** Notes that the ended job's `job.finished` was published, and takes it out of the reconciler's look. */
  markJobAnnounced(tenantId: string, id: string): Promise<void>;
  /** Active jobs of every tenant that have not moved since `before`, and ended ones whose end was not yet announced (the reconciler's look). */
  queryStalledJobs(before: string): Promise<{ tenantId: string; job: Job }[]>;
}

/** The jobs queue (SQS). */
export interface JobQueue {
  /** Sends one step message; throws DependencyUnavailableError when SQS refuses or cannot be reached. */
  send(message: JobMessage): Promise<void>;
}
