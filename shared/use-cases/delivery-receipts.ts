import { bounded } from '../adapters/provider-errors.ts';
import type { Receipt } from '../domain/delivery.ts';
import { SMS_REFERENCE_LENGTH } from '../domain/sms-reference.ts';
import type { Ports } from '../ports.ts';
import { publishEvent, type EventPorts } from './webhook-events.ts';

/** What a gateway's delivery report says, whichever protocol brought it. */
export interface SmsReport {
  /** The reference the SMS went out with. */
  reference: string;
  /** The gateway's id of the message, when it sends one. */
  providerId?: string;
  delivered: boolean;
  errorCode?: string;
  errorText?: string;
}

/**
 * Older SMS went out with the delivery id as reference (generic: whole; Sveve: its first 36
 * characters). Those are found by the id's prefix, never with fewer characters than that:
 * a short reference would match many deliveries.
 */
const LEGACY_REFERENCE_MIN = 36;

/**
 * Records an SMS delivery report on its delivery as `receipt` (shared/domain/delivery.ts):
 * 1. the delivery the reference names: the lookup item written before the send, else (SMS
 *    sent before it existed) the SMS deliveries whose id starts with the reference, told
 *    apart by the gateway's message id;
 * 2. one conditional write: a replay, or an `undelivered` after `delivered`, changes nothing;
 * 3. a `delivered` that changed the delivery publishes `notice.delivered`.
 * A report for no known delivery is dropped, and answers as any other: the gateway learns
 * nothing, and stops retrying. Returns whether the delivery changed.
 */
export async function recordSmsReceipt(ports: Pick<Ports, 'store' | 'clock' | 'log'> & EventPorts, tenantId: string, report: SmsReport): Promise<boolean> {
  const deliveryId = await deliveryOfReport(ports, tenantId, report);
  if (!deliveryId) {
    ports.log.info('sms receipt for no known delivery', { tenantId });
    return false;
  }
  const receipt: Receipt = {
    status: report.delivered ? 'delivered' : 'undelivered',
    at: ports.clock.now().toISOString(),
    ...(!report.delivered && report.errorText ? { reason: bounded(report.errorText) } : {}),
    ...(!report.delivered && report.errorCode ? { code: report.errorCode } : {}),
  };
  // A delivery that was sent twice (a retry after a lost answer) reached the phone if either did.
  const changed = await ports.store.recordReceipt(tenantId, deliveryId, receipt, report.delivered ? 'undelivered' : undefined);
  ports.log.info('sms receipt', { tenantId, deliveryId, status: receipt.status, changed });
  if (changed && report.delivered) await publishDelivered(ports, tenantId, deliveryId, 'sms');
  return changed;
}

async function deliveryOfReport(ports: Pick<Ports, 'store'>, tenantId: string, { reference, providerId }: SmsReport): Promise<string | undefined> {
  if (reference.length === SMS_REFERENCE_LENGTH) {
    const id = await ports.store.deliveryOfSmsReference(tenantId, reference);
    if (id) return id;
  }
  if (reference.length < LEGACY_REFERENCE_MIN) return undefined;
  const sms = (await ports.store.deliveriesWithIdPrefix(tenantId, reference)).filter((d) => d.channel === 'sms' && d.state === 'sent');
  const exact = sms.find((d) => d.id === reference);
  if (exact) return exact.id;
  const sameMessage = providerId ? sms.filter((d) => d.providerId === providerId) : [];
  if (sameMessage.length === 1) return sameMessage[0]!.id;
  return sms.length === 1 ? sms[0]!.id : undefined;
}

/**
 * An SES event about one e-mail (Delivery: `delivered`; a permanent Bounce: `undelivered`),
 * found by the `deliveryId` tag dispatch sends every e-mail with. E-mail sent before that tag
 * existed carries none, and is left as it is. A permanent bounce is final: the receiving
 * server may accept an e-mail (SES's Delivery event) and bounce it afterwards, and SNS keeps
 * no order, so a bounce replaces `delivered` and a Delivery never replaces `undelivered`.
 */
export async function recordEmailReceipt(
  ports: Pick<Ports, 'store' | 'clock'> & EventPorts,
  tenantId: string,
  deliveryId: string,
  delivered: boolean,
  reason?: string,
): Promise<boolean> {
  const receipt: Receipt = {
    status: delivered ? 'delivered' : 'undelivered',
    at: ports.clock.now().toISOString(),
    ...(!delivered && reason ? { reason: bounded(reason) } : {}),
  };
  const changed = await ports.store.recordReceipt(tenantId, deliveryId, receipt, delivered ? undefined : 'delivered');
  if (changed && delivered) await publishDelivered(ports, tenantId, deliveryId, 'email');
  return changed;
}

/** `notice.delivered`: the delivery's id (its task, notice, occurrence and channel can be read from it) and the channel. */
function publishDelivered(ports: EventPorts, tenantId: string, deliveryId: string, channel: 'sms' | 'email'): Promise<boolean> {
  return publishEvent(ports, tenantId, 'notice.delivered', { deliveryId, channel });
}
