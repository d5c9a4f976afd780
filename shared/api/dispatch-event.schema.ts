import * as z from 'zod/mini';

const Id = () => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));

/**
 * The input of every notice schedule, as the Scheduler hands it to dispatch. On zod's mini
 * build, as the configuration is: dispatch parses every message with it, and it keeps the
 * classic build out of dispatch's cold start (docs/decisions.md, "Cold start: zod/mini, Powertools kept").
 */
export const DispatchEventSchema = z.strictObject({
  tenantId: Id(),
  taskId: Id(),
  noticeId: Id(),
  /** The occurrence's UTC instant, whole seconds, `Z`. */
  occurrenceAt: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)),
  /** The task version whose plan made this schedule (for tracing; staleness is checked on the plan). */
  planVersion: z.int().check(z.minimum(1)),
  /**
   * The task's customer when the schedule was written: a hint, so that dispatch reads the
   * customer with the task in one call. Never trusted: the task read names the customer sent
   * to. Absent from schedules written before it, or while `DISPATCH_CUSTOMER_HINT` is off.
   */
  customerId: z.optional(Id()),
});
export type DispatchEvent = z.output<typeof DispatchEventSchema>;
