import type { Delivery, SkipReason } from '../domain/delivery.ts';
import type { Channel, Task } from '../domain/model.ts';
import type { Ports } from '../ports.ts';

/** A send that had started when a save removed its occurrence: it finishes, and is reported. */
export interface InFlight {
  deliveryId: string;
  noticeId: string;
  occurrenceAt: string;
  channel: Channel | 'all';
  /** Until when the sending attempt holds its claim. */
  claimedUntil: string;
}

/**
 * After a save that removed occurrences from the plan (completion, a changed deadline or
 * notice, deletion) has committed, looks at their delivery records, read consistently:
 * - a live claim is a send under way: it is reported, not hidden (see below);
 * - a delivery waiting for its next retry, or a claim whose attempt died, ends as skipped
 *   with the reason, so nothing stays pending for ever.
 *
 * Why a live claim is the only send that can still start: dispatch claims first, then reads
 * the task again (consistently), and calls the provider only if the occurrence is still
 * planned. A dispatch whose read came after this save's write sends nothing; one whose read
 * came before it had claimed before this save's write, so its claim is visible here.
 */
export async function settleRemoved(ports: Ports, tenantId: string, previous: Task, next: Task | undefined): Promise<InFlight[]> {
  const removed = removedOccurrences(previous, next);
  if (!removed.size) return [];
  const reason: SkipReason = !next ? 'task-deleted' : next.status === 'completed' ? 'task-completed' : 'replanned';
  const now = ports.clock.now().toISOString();
  const records = (await ports.store.listDeliveries(tenantId, previous.id)).filter((d) => removed.has(occurrenceOf(d)));
  const inFlight: InFlight[] = [];
  for (const delivery of records) {
    if (delivery.state === 'claimed' && delivery.claimedUntil! >= now) {
      inFlight.push({
        deliveryId: delivery.id,
        noticeId: delivery.noticeId,
        occurrenceAt: delivery.occurrenceAt,
        channel: delivery.channel,
        claimedUntil: delivery.claimedUntil!,
      });
    } else if (delivery.state === 'retrying' || delivery.state === 'claimed') {
      await ports.store.recordSkip(tenantId, { ...delivery, state: 'skipped', reason, claimedUntil: undefined, updatedAt: now }, now);
    }
  }
  return inFlight;
}

/** Occurrences the previous plan had scheduled that the next one does not have at that instant. */
function removedOccurrences(previous: Task, next: Task | undefined): Set<string> {
  const kept = new Set(
    (next?.status === 'open' ? next.plan.occurrences : []).filter((o) => o.state === 'scheduled').map((o) => `${o.noticeId}@${o.at}`),
  );
  return new Set(
    previous.plan.occurrences.filter((o) => o.state === 'scheduled').map((o) => `${o.noticeId}@${o.at}`).filter((key) => !kept.has(key)),
  );
}

function occurrenceOf(delivery: Delivery): string {
  return `${delivery.noticeId}@${delivery.occurrenceAt}`;
}
