import type { DeliveryView, DocumentView } from '../api/delivery.schemas.ts';
import { deliveryId, type Delivery } from '../domain/delivery.ts';
import type { Channel, Page } from '../domain/model.ts';
import { NotFoundError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { getTask } from './tasks.ts';

/**
 * Every occurrence and channel of a task with its state: what dispatch recorded (sent,
 * skipped, failed; claimed and retrying show as pending), and for occurrences of the plan
 * without a record what the plan says of them: pending while scheduled, skipped with
 * `task-completed` when completion stopped them (their schedules are gone, so dispatch never
 * sees them), skipped with `past-at-save` when they were due before the task was saved.
 * Records of occurrences that left the plan (an old deadline) stay listed: they are history.
 */
export async function listDeliveries(ports: Ports, tenantId: string, taskId: string): Promise<{ items: DeliveryView[] }> {
  const task = await getTask(ports, tenantId, taskId);
  const records = new Map((await ports.store.listDeliveries(tenantId, taskId)).map((d) => [d.id, d]));
  const channels = new Map(task.notices.map((n) => [n.id, n.channels]));
  const fromPlan: DeliveryView[] = task.plan.occurrences
    .flatMap((o) => (channels.get(o.noticeId) ?? []).map((channel) => ({ o, channel, id: deliveryId(task.id, o.noticeId, o.at, channel) })))
    .filter(({ id }) => !records.has(id))
    .map(({ o, channel, id }) => ({
      id,
      noticeId: o.noticeId,
      occurrenceAt: o.at,
      channel,
      attempts: 0,
      ...(o.state === 'scheduled'
        ? { state: 'pending' as const }
        : { state: 'skipped' as const, reason: o.state === 'stopped' ? 'task-completed' : 'past-at-save' }),
    }));
  const items = [...[...records.values()].map(toView), ...fromPlan].sort(
    (a, b) => a.occurrenceAt.localeCompare(b.occurrenceAt) || a.channel.localeCompare(b.channel),
  );
  return { items };
}

function toView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    noticeId: d.noticeId,
    occurrenceAt: d.occurrenceAt,
    channel: d.channel,
    state: d.state === 'claimed' || d.state === 'retrying' ? 'pending' : d.state,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.code ? { code: d.code } : {}),
    attempts: d.attempts ?? 0,
    ...(d.possibleDuplicate ? { possibleDuplicate: true } : {}),
    ...(d.sentAt ? { sentAt: d.sentAt } : {}),
    ...(d.providerId ? { providerId: d.providerId } : {}),
    ...(d.document ? { documentId: d.id } : {}),
    ...(d.receipt ? { receipt: d.receipt } : {}),
    updatedAt: d.updatedAt,
  };
}

function toDocument(d: Delivery): DocumentView {
  return {
    id: d.id,
    customerId: d.customerId!,
    taskId: d.taskId,
    noticeId: d.noticeId,
    occurrenceAt: d.occurrenceAt,
    channel: d.channel as Channel,
    sentAt: d.sentAt!,
    contentType: d.document!.contentType,
    size: d.document!.size,
    ...(d.receipt ? { receipt: d.receipt } : {}),
  };
}

/** The document center of a customer or a task, newest first. */
export async function listDocuments(
  ports: Ports,
  tenantId: string,
  query: { customerId?: string; taskId?: string; limit: number; cursor?: string },
): Promise<Page<DocumentView>> {
  const page = await ports.store.listDocuments(tenantId, query);
  return { ...page, items: page.items.map(toDocument) };
}

/** One document with its content: the `.eml` as sent, or the SMS record. */
export async function getDocument(ports: Ports, tenantId: string, id: string): Promise<{ document: DocumentView; content: Buffer }> {
  const delivery = await ports.store.getDelivery(tenantId, id);
  if (!delivery?.document || delivery.state !== 'sent') throw new NotFoundError(`no document ${id}`);
  const content = await ports.archive.get(delivery.document.key);
  if (!content) throw new NotFoundError(`the content of document ${id} is missing`);
  return { document: toDocument(delivery), content };
}
