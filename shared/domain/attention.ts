import * as z from 'zod';
import type { Delivery } from './delivery.ts';
import { Channel } from './model.ts';

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
export const Attention = z.object({
  channel: Channel,
  occurrenceAt: z.string(),
  state: z.enum(['skipped', 'failed']),
  /** The skip reason (`no-address`, `opted-out`, `suppressed`) or the failure's code (`no-sms-account`, `too-long`, ...). */
  code: z.string(),
  reason: z.string().optional(),
});
export type Attention = z.infer<typeof Attention>;

const ACTIONABLE: ReadonlySet<string> = new Set(ACTIONABLE_SKIPS);

/** The most recent channel whose latest final delivery needs the firm, or undefined. */
export function attentionOf(deliveries: readonly Delivery[]): Attention | undefined {
  const latest = new Map<Channel, Delivery>();
  for (const delivery of deliveries) {
    if (delivery.channel === 'all' || !['sent', 'skipped', 'failed'].includes(delivery.state)) continue;
    const known = latest.get(delivery.channel);
    if (!known || later(delivery, known)) latest.set(delivery.channel, delivery);
  }
  const needing = [...latest.values()].filter(needsFirm).sort((a, b) => (later(a, b) ? -1 : 1));
  const first = needing[0];
  if (!first || first.channel === 'all') return undefined;
  return {
    channel: first.channel,
    occurrenceAt: first.occurrenceAt,
    state: first.state as Attention['state'],
    code: first.state === 'failed' ? (first.code ?? 'other') : (first.reason ?? 'other'),
    ...(first.reason ? { reason: first.reason } : {}),
  };
}

function needsFirm(delivery: Delivery): boolean {
  return delivery.state === 'failed' || (delivery.state === 'skipped' && ACTIONABLE.has(delivery.reason ?? ''));
}

/** Later occurrence first; for one occurrence, the later record. */
function later(a: Delivery, b: Delivery): boolean {
  return a.occurrenceAt !== b.occurrenceAt ? a.occurrenceAt > b.occurrenceAt : a.updatedAt > b.updatedAt;
}
