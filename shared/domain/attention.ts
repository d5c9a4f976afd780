import * as z from 'zod';
import type { Delivery } from './delivery.ts';
import { Channel } from './model.ts';
import { schema } from './schema.ts';

/**
 * Skips the firm can do something about: add the address, ask the customer, fix the bounce,
 * allow the country or raise the SMS cap (or find out who sends so many).
 */
export const ACTIONABLE_SKIPS = ['no-address', 'opted-out', 'suppressed', 'country-not-allowed', 'rate-limited'] as const;

/**
 * The task register's warning mark: the latest outcome of a channel was a failure, or a skip
 * the firm should act on. Skips the firm cannot act on (completed, replanned, too late) and
 * deliveries still under way never raise it; a later success on the same channel clears it.
 */
export const Attention = /* @__PURE__ */ schema(() =>
  z.object({
    channel: Channel,
    occurrenceAt: z.string(),
    state: z.enum(['skipped', 'failed']),
    /** The skip reason (`no-address`, `opted-out`, `suppressed`) or the failure's code (`no-sms-account`, `too-long`, ...). */
    code: z.string(),
    reason: z.string().optional(),
  }),
);
export type Attention = z.infer<typeof Attention>;

const ACTIONABLE: ReadonlySet<string> = new Set(ACTIONABLE_SKIPS);

/**
 * What the mark needs of a delivery: its channel, when, how it ended. The register keeps the
 * latest of each channel in a small item per task (attention-marks.ts), so a page of tasks
 * reads its marks by key instead of querying every task's deliveries.
 */
export type Outcome = Pick<Delivery, 'occurrenceAt' | 'updatedAt' | 'state' | 'code' | 'reason'> & { channel: Channel };

/** Whether a delivery is final: the only states that count for the mark. */
export function outcomeOf(delivery: Delivery): Outcome | undefined {
  if (delivery.channel === 'all' || !['sent', 'skipped', 'failed'].includes(delivery.state)) return undefined;
  const { channel, occurrenceAt, updatedAt, state, code, reason } = delivery;
  return { channel, occurrenceAt, updatedAt, state, ...(code ? { code } : {}), ...(reason ? { reason } : {}) };
}

/**
 * Orders outcomes of one channel: later occurrence first; for one occurrence, the later record.
 * occurrenceAt has one width (whole seconds, `Z`), so the key compares as a string, also in
 * a DynamoDB condition.
 */
export function outcomeKey(outcome: Pick<Outcome, 'occurrenceAt' | 'updatedAt'>): string {
  return `${outcome.occurrenceAt}|${outcome.updatedAt}`;
}

/** The latest final outcome of each channel. */
export function latestOutcomes(deliveries: readonly Delivery[]): Outcome[] {
  const latest = new Map<Channel, Outcome>();
  for (const delivery of deliveries) {
    const outcome = outcomeOf(delivery);
    if (!outcome) continue;
    const known = latest.get(outcome.channel);
    if (!known || outcomeKey(outcome) > outcomeKey(known)) latest.set(outcome.channel, outcome);
  }
  return [...latest.values()];
}

/** The most recent channel whose latest final delivery needs the firm, or undefined. */
export function attentionOf(deliveries: readonly Delivery[]): Attention | undefined {
  return attentionFrom(latestOutcomes(deliveries));
}

/** The mark from the latest outcome of each channel. */
export function attentionFrom(latest: readonly Outcome[]): Attention | undefined {
  const first = latest.filter(needsFirm).sort((a, b) => outcomeKey(b).localeCompare(outcomeKey(a)))[0];
  if (!first) return undefined;
  return {
    channel: first.channel,
    occurrenceAt: first.occurrenceAt,
    state: first.state as Attention['state'],
    code: first.state === 'failed' ? (first.code ?? 'other') : (first.reason ?? 'other'),
    ...(first.reason ? { reason: first.reason } : {}),
  };
}

function needsFirm(outcome: Outcome): boolean {
  return outcome.state === 'failed' || (outcome.state === 'skipped' && ACTIONABLE.has(outcome.reason ?? ''));
}
