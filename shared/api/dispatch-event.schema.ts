import * as z from 'zod';

/** The input of every notice schedule, as the Scheduler hands it to dispatch. */
export const DispatchEventSchema = z.strictObject({
  tenantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  taskId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  noticeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** The occurrence's UTC instant, whole seconds, `Z`. */
  occurrenceAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  /** The task version whose plan made this schedule (for tracing; staleness is checked on the plan). */
  planVersion: z.int().min(1),
});
export type DispatchEvent = z.infer<typeof DispatchEventSchema>;
