import type { Channel, Occurrence, Settings, Task, TaskFields, TaskPlan, TaskStatus } from '../domain/model.ts';
import { planOccurrences, utcSeconds } from '../domain/plan-occurrences.ts';
import { firmRules } from '../domain/send-rules.ts';
import { stampPlanVersions } from './task-schedules.ts';

/** A task's plan, made now in the firm's zone, from its deadline and notices. */
export function makePlan(
  task: Pick<TaskFields, 'deadline' | 'notices'>,
  previous: Task | undefined,
  status: TaskStatus,
  settings: Settings,
  now: Date,
  version: number,
): TaskPlan {
  const plannedAt = now.toISOString();
  const rules = firmRules(settings);
  const occurrences = planOccurrences({ deadline: task.deadline, notices: task.notices, status, timeZone: settings.timeZone, rules, plannedAt });
  return {
    plannedAt,
    timeZone: settings.timeZone,
    ...rules,
    occurrences: stampPlanVersions(previous, status === 'open' ? keepDue(previous, occurrences) : occurrences, version),
  };
}

/**
 * An occurrence the previous plan had scheduled, whose time has come and that the new plan
 * still has at the same instant, stays scheduled: its schedule has fired (or fires within
 * its minute) and dispatch is on it. Re-planned from scratch it would be `past` ("due before
 * the save, never sent"), and an unrelated edit (a title, a time zone with the same offsets)
 * saved just after a notice's time would drop that notice. Only an open task keeps them:
 * completion stops them, and settles their deliveries (settle-removed.ts).
 */
function keepDue(previous: Task | undefined, occurrences: Occurrence[]): Occurrence[] {
  const scheduled = new Set((previous?.plan.occurrences ?? []).filter((o) => o.state === 'scheduled').map((o) => `${o.noticeId}.${o.repetition}@${o.at}`));
  return occurrences.map((o) => (o.state === 'past' && scheduled.has(`${o.noticeId}.${o.repetition}@${o.at}`) ? { ...o, state: 'scheduled' } : o));
}

/**
 * See replanInZone: the old occurrence stands where it was due, or where its new time has
 * passed. Decided per channel, since quiet hours may split an occurrence in one plan and not
 * in the other; the channels that end at one instant are one occurrence again.
 */
export function keepAcrossZones(previous: Task, occurrences: Occurrence[], now: Date): Occurrence[] {
  const nowIso = utcSeconds(now);
  const channelsOf = (o: Occurrence): Channel[] => o.channels ?? previous.notices.find((n) => n.id === o.noticeId)?.channels ?? [];
  const old = new Map(
    previous.plan.occurrences
      .filter((o) => o.state === 'scheduled')
      .flatMap((o) => channelsOf(o).map((c) => [`${o.noticeId}.${o.repetition}.${c}`, o] as const)),
  );
  const kept = new Map<string, { occurrence: Occurrence; channels: Channel[] }>();
  for (const o of occurrences) {
    for (const channel of channelsOf(o)) {
      const before = old.get(`${o.noticeId}.${o.repetition}.${channel}`);
      const chosen = before && (before.at <= nowIso || o.at <= nowIso) ? before : o;
      const key = `${chosen.noticeId}.${chosen.repetition}@${chosen.at}`;
      const entry = kept.get(key) ?? { occurrence: chosen, channels: [] };
      entry.channels.push(channel);
      kept.set(key, entry);
    }
  }
  return [...kept.values()]
    .map(({ occurrence, channels }) => {
      const { channels: _ignored, ...rest } = occurrence;
      const all = previous.notices.find((n) => n.id === occurrence.noticeId)?.channels ?? [];
      return channels.length < all.length ? { ...rest, channels: all.filter((c) => channels.includes(c)) } : rest;
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.noticeId.localeCompare(b.noticeId));
}
