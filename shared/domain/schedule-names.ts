import { createHash } from 'node:crypto';

/**
 * Deterministic Scheduler names, so that a retried save upserts instead of duplicating.
 * A name identifies a notice occurrence by (tenant, task, notice, repetition), not by its
 * instant: when a deadline moves, the same schedule is updated to the new time.
 *
 * `f.<tenant hash>.<taskId>.<noticeId>.<repetition>`: at most 2 + 12 + 1 + 16 + 1 + 16 + 1 + 2
 * = 51 characters of [0-9a-zA-Z-_.] (Scheduler allows 64). Tenant ids can be 64 characters,
 * so the tenant is a hash; the schedule's input carries the tenant id itself.
 */
export function tenantTag(tenantId: string): string {
  return createHash('sha256').update(tenantId).digest('base64url').slice(0, 12).replace(/[^0-9A-Za-z]/g, 'x');
}

export function taskSchedulePrefix(tenantId: string, taskId: string): string {
  return `f.${tenantTag(tenantId)}.${taskId}.`;
}

export function scheduleName(tenantId: string, taskId: string, noticeId: string, repetition: number): string {
  return `${taskSchedulePrefix(tenantId, taskId)}${noticeId}.${repetition}`;
}

/** `at(2027-02-07T08:00:00)`: the Scheduler's one-time expression, always in UTC. */
export function atExpression(instant: string): string {
  return `at(${instant.slice(0, 19)})`;
}
