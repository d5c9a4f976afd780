import { toE164Mobile } from '../domain/phone.ts';
import type { Ports } from '../ports.ts';
import { changeCustomer } from './customers.ts';
import { publishEvent, type EventPorts } from './webhook-events.ts';

/** What a gateway says it received: who sent it and the text (Sveve's keyword already taken off). */
export interface InboundSms {
  from: string;
  text: string;
}

/**
 * `STOPP` or `STOP` as the first word, in any case, with anything after it (`Stopp takk`,
 * `Stopp.`, `«STOPP»`); `Stopper` or `stopp.no` are not. A letter or digit right after the
 * word, or after a full stop that follows it, makes it another word.
 */
const STOP_WORD = /^[\s"'«»„“”‘’(]*stopp?(?![\p{L}\p{N}]|\.[\p{L}\p{N}])/iu;

export function isStopMessage(text: string): boolean {
  return STOP_WORD.test(text);
}

/**
 * The text of a Sveve push without the keyword it came in on, which Sveve puts first,
 * followed by any whitespace (`FRIST STOPP`, `FRIST\nSTOPP`). A firm whose keyword is itself
 * a stop word (`STOPP`) keeps it: `STOPP takk` is the customer asking to stop.
 */
export function withoutKeyword(msg: string, keyword: string | undefined): string {
  if (!keyword?.trim() || isStopMessage(keyword)) return msg;
  const escaped = keyword.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return msg.replace(new RegExp(`^\\s*${escaped}(?=\\s|$)`, 'iu'), '');
}

/**
 * The sender as Frist stores mobiles (E.164). Gateways send it without `+` (Sveve:
 * `4791234567`), with it, with the international `00` instead (`004791234567`), or as a
 * bare Norwegian number.
 */
export function inboundNumber(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (/^00\d{8,15}$/.test(trimmed)) return toE164Mobile(`+${trimmed.slice(2)}`);
  if (/^\d{9,15}$/.test(trimmed)) return toE164Mobile(`+${trimmed}`);
  return toE164Mobile(trimmed);
}

/**
 * A received SMS: a STOPP turns SMS off for every customer of the firm with the sender's
 * number, and notes when and how on the customer (`optOut`); dispatch then records the
 * firm's later SMS to them `skipped opted-out`, and publishes `customer.opted_out` for each.
 * The number itself is noted first (the first time kept), so a customer that gets it later
 * starts with SMS off too (customers.ts), and a crash before the customers are done leaves it
 * for the gateway's retry. Anything else is ignored. A replay finds SMS off already and
 * changes nothing (and publishes nothing). Returns how many customers it turned off.
 */
export async function receiveSms(ports: Pick<Ports, 'store' | 'clock' | 'log'> & EventPorts, tenantId: string, sms: InboundSms): Promise<number> {
  const mobile = inboundNumber(sms.from);
  if (!mobile || !isStopMessage(sms.text)) {
    ports.log.info('inbound sms ignored', { tenantId });
    return 0;
  }
  await ports.store.putSmsStop(tenantId, mobile, ports.clock.now().toISOString());
  let stopped = 0;
  for (const id of await ports.store.customerIdsByMobile(tenantId, mobile)) {
    if (!(await optOutBySms(ports, tenantId, id, mobile))) continue;
    stopped += 1;
    await publishEvent(ports, tenantId, 'customer.opted_out', { customerId: id, channel: 'sms', via: 'sms-stopp' });
  }
  ports.log.info('inbound stopp', { tenantId, stopped });
  return stopped;
}

/** One customer, if it still has this number and SMS on (the index may lag behind). */
function optOutBySms(ports: Pick<Ports, 'store' | 'clock'>, tenantId: string, customerId: string, mobile: string): Promise<boolean> {
  return changeCustomer(ports, tenantId, customerId, (customer, now) =>
    customer.mobile === mobile && customer.optIn.sms
      ? { ...customer, optIn: { ...customer.optIn, sms: false }, optOut: { at: now, via: 'sms-stopp' } }
      : undefined,
  );
}
