import type { Job } from '../domain/job.ts';
import type { Ports } from '../ports.ts';
import { publishEvent } from './webhook-events.ts';

/**
 * The one place a job's end is told: called once per job, by the write that ended it (a
 * conditional write, so of two workers that raced to the end only the winner calls it).
 * It logs the end with the counts and publishes `job.finished` to the firm's webhooks (ids,
 * kind, state and counts).
 */
export async function jobFinished(ports: Ports, tenantId: string, job: Job): Promise<void> {
  const counts: Record<string, number> =
    job.kind === 'replan-zone' ? { replanned: job.replanned, failed: job.failed } : { done: job.done, skipped: job.skipped, failed: job.failed };
  ports.log.info('job finished', { tenantId, jobId: job.id, kind: job.kind, state: job.state, ...counts });
  await publishEvent(ports, tenantId, 'job.finished', { jobId: job.id, kind: job.kind, state: job.state, ...counts });
}
