import * as z from 'zod';

/** The input of every notice schedule, as the Scheduler hands it to dispatch. */
export const DispatchEventSchema = z.strictObject({
  tenantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  taskId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  noticeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  occurrenceAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  planVersion: z.int().min(1),
});
