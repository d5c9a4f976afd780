import * as z from 'zod';

/** A message on the jobs queue: one step of one job (shared/domain/job.ts). */
export const JobMessageSchema = z.strictObject({
  tenantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  jobId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  step: z.int().min(0),
});
export type JobMessage = z.infer<typeof JobMessageSchema>;
