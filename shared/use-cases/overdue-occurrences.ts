import { deliveryId, type Delivery } from '../domain/delivery.ts';
import type { Task } from '../domain/model.ts';
import { utcSeconds } from '../domain/plan-occurrences.ts';
import type { Ports, ScheduleSpec } from '../ports.ts';
import { desiredSchedules } from './task-schedules.ts';

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
 * or touched its record within `graceMs` (the queue is still retrying it).
 */
export async function sweepOverdue(ports: Ports, tenantId: string, task: Task, options: { graceMs: number }): Promise<OverdueReport> {
  const now = ports.clock.now();
  const nowIso = utcSeconds(now);
  const due = [...desiredSchedules(tenantId, task).values()].filter((spec) => spec.at <= nowIso);
  const report: OverdueReport = { resent: 0, overdue: 0 };
  if (!due.length) return report;
  const records = new Map((await ports.store.listDeliveries(tenantId, task.id)).map((d) => [d.id, d]));
  const channelsOf = new Map(task.notices.map((n) => [n.id, n.channels]));
  for (const spec of due) {
    const open = (channelsOf.get(spec.input.noticeId) ?? [])
      .map((channel) => records.get(deliveryId(task.id, spec.input.noticeId, spec.at, channel)))
      .filter((record) => !isFinal(record));
    if (!open.length) continue;
    report.earliestUnsettled ??= spec.at;
    if (now.getTime() - Date.parse(spec.at) > OVERDUE_AFTER_MS) report.overdue += open.length;
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
  if (record.state === 'claimed' && record.claimedUntil! >= now.toISOString()) return true;
  return Date.parse(record.updatedAt) > now.getTime() - graceMs;
}

/** The occurrence's own schedule name and input, due a minute from now. */
function lateSchedule(spec: ScheduleSpec, now: Date): ScheduleSpec {
  return { ...spec, at: utcSeconds(new Date(now.getTime() + 60_000)) };
}
