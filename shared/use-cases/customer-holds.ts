import type { Task } from '../domain/model.ts';
import { ValidationError } from '../errors.ts';
import type { CustomerHolds, Ports } from '../ports.ts';

/**
 * A task's hold on its customer. The customer item counts the tasks on it (`taskRefs`), and
 * DELETE /customers/{id} is conditional on that count: the byCustomer index cannot say
 * whether a task was written a moment ago (GSI reads are eventually consistent, and read
 * before the delete anyway), and there are no transactions to write the task and check the
 * customer as one. Every change is a single-item conditional write:
 *
 * ```
 * task save onto C:  hold C (C must exist: else 422) ─> schedules ─> write task ─> release the old customer (a move)
 *                                                    └ refused (Scheduler error, 409): release C again
 * task delete:       delete the task (this call removed it) ─> release C
 * customer delete:   no task in the index, count 0 ─> delete if the count is still 0 (else 409)
 * ```
 * Each step that fails leaves the count too high, never too low: a save whose write has an
 * unknown outcome (a 503 after it was sent), or a crash after a hold, keeps its hold. Such a
 * leftover makes the customer look held with no task listed; once the count has not changed
 * for HOLD_AGE_GUARD_MS, the delete knows that no save is under way any more (the api
 * function stops at 15 seconds) and goes on, conditional on the count it saw.
 *
 * Tasks saved before the count existed have no `holdsCustomer` and are not counted (their
 * customer's delete finds them in the index, long caught up); their next PUT/PATCH counts them.
 */

/** How long a count with no task listed must stand still before the delete takes it for a crash's leftover. */
export const HOLD_AGE_GUARD_MS = 10 * 60_000;

/** The customer a save must hold before its write (`take`) and the one it lets go after (`release`). */
export function holdChanges(previous: Task | undefined, next: Task): { take?: string; release?: string } {
  const before = previous?.holdsCustomer ? previous.customerId : undefined;
  const after = next.holdsCustomer ? next.customerId : undefined;
  if (before === after) return {};
  return { ...(after ? { take: after } : {}), ...(before ? { release: before } : {}) };
}

/** Counts one more task on the customer; 422 `exists` when it is gone (deleted since it was read). */
export async function holdCustomer(ports: Pick<Ports, 'store' | 'clock'>, tenantId: string, customerId: string): Promise<void> {
  if (!(await ports.store.holdCustomer(tenantId, customerId, ports.clock.now().toISOString()))) {
    throw ValidationError.of('customerId', 'exists', `no customer ${customerId} in this firm`);
  }
}

/**
 * Counts one task less on the customer. Never an error: it runs after a commit, or after a
 * refused save whose own error is the answer; a release that fails leaves a hold the
 * customer's delete outlives after HOLD_AGE_GUARD_MS.
 */
export async function releaseCustomer(ports: Pick<Ports, 'store' | 'clock' | 'log'>, tenantId: string, customerId: string): Promise<void> {
  try {
    await ports.store.releaseCustomer(tenantId, customerId, ports.clock.now().toISOString());
  } catch (error) {
    ports.log.warn('customer hold left for the age guard', { tenantId, customerId, error: (error as Error).name });
  }
}

/** A count with no task listed that has not changed for HOLD_AGE_GUARD_MS: no save is under way. */
export function leftByCrash(holds: CustomerHolds, now: Date): boolean {
  return holds.changedAt === undefined || now.getTime() - Date.parse(holds.changedAt) >= HOLD_AGE_GUARD_MS;
}

/** Whole minutes until a count passes the age guard (at least 1). */
export function minutesToAgeGuard(holds: CustomerHolds, now: Date): number {
  const changedAt = holds.changedAt ? Date.parse(holds.changedAt) : now.getTime();
  return Math.max(1, Math.ceil((changedAt + HOLD_AGE_GUARD_MS - now.getTime()) / 60_000));
}
