import { integer, matching, optional, strictObject, type Checked } from '../checks.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const id = matching(ID);

/** Whether `value` is an id a message may carry: a hint that is not one is left out, not written into a message dispatch refuses. */
export const isMessageId = (value: string | undefined): value is string => value !== undefined && ID.test(value);

/**
 * The members of every notice schedule's input, as the Scheduler hands it to dispatch, each
 * with its check. Plain checks, not zod, as the configuration's: dispatch checks every message
 * with them and loads no zod at all (docs/decisions.md, "Cold start: plain checks of the
 * configuration and the message"). A new member is one more line (`optional(id)` for one a
 * message may leave out); the object stays strict.
 */
const DISPATCH_EVENT = {
  tenantId: id,
  taskId: id,
  noticeId: id,
  /** The occurrence's UTC instant, whole seconds, `Z`. */
  occurrenceAt: matching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  /** The task version whose plan made this schedule (for tracing; staleness is checked on the plan). */
  planVersion: integer(1),
  /**
   * The task's customer when the schedule was written: a hint, so that dispatch reads the
   * customer with the task in one call. Never trusted: the task read names the customer sent
   * to. Absent from schedules written before it, or while `DISPATCH_CUSTOMER_HINT` is off.
   */
  customerId: optional(id),
};

/** A message's JSON checked: the event, or every problem with the path and code of each (zod's codes). */
export const parseDispatchEvent = strictObject(DISPATCH_EVENT);
export type DispatchEvent = Checked<typeof DISPATCH_EVENT>;
