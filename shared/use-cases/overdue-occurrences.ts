import { deliveryId, type Delivery } from '../domain/delivery.ts';
import type { Task } from '../domain/model.ts';
import { utcSeconds } from '../domain/plan-occurrences.ts';
import type { Ports, ScheduleSpec } from '../ports.ts';
import { desiredSchedules } from './task-schedules.ts';
import { occurrenceChannels } from '../domain/send-rules.ts';

/** What the sweep found among a task's occurrences whose time has come. */
export interface OverdueReport {
  /** Occurrences sent to dispatch again (a late schedule, one minute ahead). */
  resent: number;
  /** Channels still not final an hour after their time: the overdue alarm counts these. */
  overdue: number;
  /** The earliest occurrence not yet final, if any: the task stays in the due index until it is. */
  earliestUnsettled?: string;
}

/** After this long without a final record, an occurrence counts as overdue (metric, alarm). */
export const OVERDUE_AFTER_MS = 3_600_000;

/**
 * The sweep of occurrences whose time has come but that have no final record (sent, failed,
 * skipped) for every channel. That happens when the stack was down at their time (their
 * schedules fired into nothing), when a message ran out of queue retries, or when a claim's
 * attempt died and its message was lost. Each such occurrence is handed to dispatch again
 * by a one-time schedule a minute ahead (its name is the occurrence's own: the original
 * deleted itself when it fired); dispatch then sends it, or records it `too-late` past the
 * firm's maximum lateness. An occurrence is left alone while an attempt holds a live claim
 * or touched its record within `graceMs` (the queue is still retrying it). An SMS that
 * dispatch held for quiet hours gets its schedule at the window's end at once.
 */
export async function sweepOverdue(ports: Ports, tenantId: string, task: Task, options: { graceMs: number }): Promise<OverdueReport> {
  const now = ports.clock.now();
  const nowIso = utcSeconds(now);
  const due = [...desiredSchedules(tenantId, task).values()].filter((spec) => spec.at <= nowIso);
  const report: OverdueReport = { resent: 0, overdue: 0 };
  if (!due.length) return report;
  const records = new Map((await ports.store.listDeliveries(tenantId, task.id)).map((d) => [d.id, d]));
  for (const spec of due) {
    const open = occurrenceChannels(task, spec.input.noticeId, spec.at)
      .map((channel) => records.get(deliveryId(task.id, spec.input.noticeId, spec.at, channel)))
      .filter((record) => !isFinal(record));
    if (!open.length) continue;
    report.earliestUnsettled ??= spec.at;
    // An SMS held by quiet hours is due at the window's end, not at its planned time.
    report.overdue += open.filter((record) => now.getTime() - Date.parse(record?.heldUntil ?? spec.at) > OVERDUE_AFTER_MS).length;
    const heldUntil = open.find((record) => record?.heldUntil)?.heldUntil;
    if (heldUntil && !open.some((record) => record && claimedNow(record, now))) {
      if ((await ports.scheduler.create(heldSchedule(spec, heldUntil, now))) === 'created') report.resent += 1;
      continue;
    }
    if (Date.parse(spec.at) > now.getTime() - options.graceMs) continue;
    if (open.some((record) => record && busy(record, now, options.graceMs))) continue;
    await ports.scheduler.create(lateSchedule(spec, now));
    report.resent += 1;
  }
  return report;
}

function isFinal(record: Delivery | undefined): boolean {
  return record !== undefined && (record.state === 'sent' || record.state === 'failed' || record.state === 'skipped');
}

/** An attempt holds it, or one touched it lately (the queue is still retrying it). */
function busy(record: Delivery, now: Date, graceMs: number): boolean {
  return claimedNow(record, now) || Date.parse(record.updatedAt) > now.getTime() - graceMs;
}

function claimedNow(record: Delivery, now: Date): boolean {
  return record.state === 'claimed' && record.claimedUntil! >= now.toISOString();
}

/**
 * An SMS that dispatch held for quiet hours: its own schedule name, due when the window
 * ends (or a minute from now, when that has passed). Created on every run until the
 * occurrence is final, so a create that met the fired original (not yet deleted) is made
 * again on the next run; one that meets its own earlier create changes nothing.
 */
function heldSchedule(spec: ScheduleSpec, heldUntil: string, now: Date): ScheduleSpec {
  const soonest = utcSeconds(new Date(now.getTime() + 60_000));
  return { ...spec, at: heldUntil > soonest ? heldUntil : soonest };
}

/** The occurrence's own schedule name and input, due a minute from now. */
function lateSchedule(spec: ScheduleSpec, now: Date): ScheduleSpec {
  return { ...spec, at: utcSeconds(new Date(now.getTime() + 60_000)) };
}
