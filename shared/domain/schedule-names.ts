import { createHash } from 'node:crypto';

/**
 * Deterministic, immutable Scheduler names. A name identifies one notice occurrence at one
 * instant: (tenant, task, notice, repetition, instant). A schedule is never updated: a moved
 * occurrence is a new schedule and the old one is deleted. So two concurrent saves of one
 * task can never move each other's schedules, a retried save creates the same names again
 * (ConflictException: already there), and a schedule whose save lost its conditional write
 * names an instant the stored plan does not have, so dispatch ignores it.
 *
 * `f.<tenant tag>.<taskId>.<yyyymmddThhmmss>.<occurrence tag>`: 2 + 12 + 1 + 16 + 1 + 15 + 1 + 12
 * = 60 characters of [0-9a-zA-Z-_.] (the Scheduler allows 64). Tenant and notice ids may be
 * 64 characters long, so both enter as hashes; the schedule's input carries the ids themselves.
 */
export function tenantTag(tenantId: string): string {
  return hashTag(tenantId);
}

export function taskSchedulePrefix(tenantId: string, taskId: string): string {
  return `f.${tenantTag(tenantId)}.${taskId}.`;
}

export function scheduleName(tenantId: string, taskId: string, noticeId: string, repetition: number, at: string): string {
  const instant = at.replace(/[-:]/g, '').slice(0, 15);
  return `${taskSchedulePrefix(tenantId, taskId)}${instant}.${hashTag(`${noticeId}.${repetition}`)}`;
}

/** 12 characters of [0-9A-Za-z] from a SHA-256: 71 bits, no collisions among one task's notices. */
function hashTag(text: string): string {
  return createHash('sha256')
    .update(text)
    .digest('base64url')
    .slice(0, 12)
    .replace(/[^0-9A-Za-z]/g, 'x');
}

/** `at(2027-02-07T08:00:00)`: the Scheduler's one-time expression, always in UTC. */
export function atExpression(instant: string): string {
  return `at(${instant.slice(0, 19)})`;
}
