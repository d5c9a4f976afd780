import { isActive, type Job, type JobKind } from '../domain/job.ts';
import { ConflictError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import type { Idempotency } from './idempotent-create.ts';
import { sendStep } from './zone-change-job.ts';

/**
 * A request with an Idempotency-Key that finds the job its key names: the same request (same
 * kind, same hash) gets that job back, and if the job is still active its current step is sent
 * again (a crashed or lost step resumes; a copy of a step that is running is refused by the
 * step). A key used for a different request is 409.
 */
export async function resumeJob<K extends JobKind>(ports: Ports, tenantId: string, job: Job, key: Idempotency, kind: K): Promise<Extract<Job, { kind: K }>> {
  if (job.kind !== kind || job.idempotency?.requestHash !== key.requestHash) {
    throw new ConflictError(`Idempotency-Key ${key.key} was used for a different request; use a new key for a new job`);
  }
  if (isActive(job)) await sendStep(ports, tenantId, job);
  return job as Extract<Job, { kind: K }>;
}

/**
 * Creates the job item and sends its first step. A request with the same key at the same
 * moment may have created it first: that request's job is the answer (resumeJob).
 */
export async function createJobOnce<J extends Job>(ports: Ports, tenantId: string, job: J, key: Idempotency | undefined): Promise<J> {
  try {
    await ports.store.createJob(tenantId, job);
  } catch (error) {
    const existing = key && error instanceof ConflictError ? await ports.store.getJob(tenantId, job.id) : undefined;
    if (!existing || !key) throw error;
    return (await resumeJob(ports, tenantId, existing, key, job.kind)) as J;
  }
  await sendStep(ports, tenantId, job);
  return job;
}

/**
 * Where a job's input parts are kept. With an Idempotency-Key the job's id is the key's, so
 * two requests with one key and different bodies, at once, would write their inputs over one
 * another before one of them creates the job: the parts are therefore also named by the
 * request's hash, and the job reads the parts of the request that created it.
 */
export function inputOf(job: { id: string; idempotency?: Idempotency | undefined }): string {
  return job.idempotency ? `${job.id}.${job.idempotency.requestHash}` : job.id;
}

/** Runs `work` over `items`, `size` at a time, each result (or thrown error) in its place. */
export async function inGroups<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<(R | Error)[]> {
  const results: (R | Error)[] = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map((item) => work(item).catch((error: unknown) => error as Error)))));
  }
  return results;
}
