import type { Delivery, SkipReason } from '../domain/delivery.ts';
import { occurrenceChannels } from '../domain/send-rules.ts';
import type { InFlight, TaskDeletedView } from '../api/task.schemas.ts';
import type { Task } from '../domain/model.ts';
import type { TaskRemains } from '../errors.ts';
import type { Ports } from '../ports.ts';

/**
 * What a save that removed occurrences says of their sends: those under way, or, when the
 * deliveries could not be read after the save had committed, that it cannot say (the save
 * stands either way; it is never answered with an error after its write).
 */
export type Settled = Pick<TaskDeletedView, 'inFlight' | 'inFlightUnknown'>;

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
export function settleRemoved(ports: Ports, tenantId: string, previous: Task, next: Task | undefined): Promise<Settled> {
  const removed = removedOccurrences(previous, next);
  // A send under way to the customer the task no longer names is reported too.
  const recipientChanged = next !== undefined && next.customerId !== previous.customerId;
  if (!removed.size && !recipientChanged) return Promise.resolve({ inFlight: [] });
  const reason: SkipReason = !next ? 'task-deleted' : next.status === 'completed' ? 'task-completed' : 'replanned';
  const ends = (d: Delivery) => removed.has(occurrenceOf(d));
  return settle(ports, tenantId, previous.id, (d) => ends(d) || recipientChanged, { reason, ends });
}

/**
 * settleRemoved for a deleted task whose notices could not be read (a damaged item): which
 * channel each occurrence had is not known, so every delivery of an occurrence its plan had
 * scheduled is concerned, whatever its channel; the plan itself reads.
 */
export function settleDeletedRemains(ports: Ports, tenantId: string, remains: TaskRemains): Promise<Settled> {
  const scheduled = new Set(remains.plan.occurrences.filter((o) => o.state === 'scheduled').map((o) => `${o.noticeId}@${o.at}`));
  if (!scheduled.size) return Promise.resolve({ inFlight: [] });
  const ends = (d: Delivery) => scheduled.has(`${d.noticeId}@${d.occurrenceAt}`);
  return settle(ports, tenantId, remains.id, ends, { reason: 'task-deleted', ends });
}

/** The sends of a task under way now, for an answer that changed nothing (a repeated completion). */
export function liveClaims(ports: Ports, tenantId: string, task: Task): Promise<Settled> {
  return settle(ports, tenantId, task.id, () => true);
}

/** Which pending deliveries a save ends (those of removed occurrences), and why. */
interface Ending {
  reason: SkipReason;
  ends: (d: Delivery) => boolean;
}

/** Reports the live claims of the concerned deliveries; with `ending`, ends the pending ones it names. */
async function settle(ports: Ports, tenantId: string, taskId: string, concerned: (d: Delivery) => boolean, ending?: Ending): Promise<Settled> {
  try {
    const now = ports.clock.now().toISOString();
    const records = (await ports.store.listDeliveries(tenantId, taskId)).filter(concerned);
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
      } else if (ending?.ends(delivery) && (delivery.state === 'retrying' || delivery.state === 'claimed')) {
        await ports.store.recordSkip(tenantId, { ...delivery, state: 'skipped', reason: ending.reason, claimedUntil: undefined, updatedAt: now }, now);
      }
    }
    return { inFlight };
  } catch (error) {
    // The change is saved; a delivery left `retrying` ends when its message comes back
    // (dispatch finds the occurrence gone), so only the report is lost.
    ports.log.error('the sends under way could not be listed after a save', { tenantId, taskId, error: (error as Error).name });
    return { inFlight: [], inFlightUnknown: true };
  }
}

/**
 * Occurrences the previous plan had scheduled that the next one does not have at that instant,
 * per channel: quiet hours may move one channel of an occurrence and not the other.
 */
function removedOccurrences(previous: Task, next: Task | undefined): Set<string> {
  const keys = (task: Task) =>
    task.plan.occurrences
      .filter((o) => o.state === 'scheduled')
      .flatMap((o) => occurrenceChannels(task, o.noticeId, o.at).map((c) => `${o.noticeId}@${o.at}/${c}`));
  const kept = new Set(next?.status === 'open' ? keys(next) : []);
  return new Set(keys(previous).filter((key) => !kept.has(key)));
}

function occurrenceOf(delivery: Delivery): string {
  return `${delivery.noticeId}@${delivery.occurrenceAt}/${delivery.channel}`;
}
