import type { JobMessage } from '../api/job-message.schema.ts';
import type { Ports } from '../ports.ts';
import { runApplyStep } from './apply-template-job.ts';
import { runImportStep } from './import-job.ts';
import { runZoneChangeStep, type StepReport } from './zone-change-job.ts';

/** One step of whatever job the message names, by the job's kind; a message of no job is a late copy. */
export async function runJobStep(ports: Ports, message: JobMessage): Promise<StepReport> {
  const job = await ports.store.getJob(message.tenantId, message.jobId);
  if (job?.kind === 'apply-template') return runApplyStep(ports, message, job);
  if (job?.kind === 'import') return runImportStep(ports, message, job);
  return runZoneChangeStep(ports, message, job);
}
