import type { Job } from '../domain/job.ts';
import type { Ports } from '../ports.ts';
import { publishEvent } from './webhook-events.ts';

/**
 * The one place a job's end is told: called by the write that ended it (a conditional write,
 * so of two workers that raced to the end only the winner calls it). It logs the end with the
 * counts, publishes `job.finished` to the firm's webhooks (ids, kind, state and counts), then
 * marks the job announced. The ended job stays in the reconciler's look until that mark: a
 * crash or an SQS failure between the end and the mark is told again by the reconciler
 * (restartStalledJobs), with the same event id (made of the job's end), so each endpoint records
 * and receives one event.
 */
export async function jobFinished(ports: Ports, tenantId: string, job: Job): Promise<void> {
  const counts: Record<string, number> =
    job.kind === 'replan-zone' ? { replanned: job.replanned, failed: job.failed } : { done: job.done, skipped: job.skipped, failed: job.failed };
  ports.log.info('job finished', { tenantId, jobId: job.id, kind: job.kind, state: job.state, ...counts });
  const eventId = `evt_${(job.finishedAt ?? job.updatedAt).replace(/\D/g, '')}${job.id}`;
  if (await publishEvent(ports, tenantId, 'job.finished', { jobId: job.id, kind: job.kind, state: job.state, ...counts }, eventId)) {
    await ports.store.markJobAnnounced(tenantId, job.id);
  }
}
