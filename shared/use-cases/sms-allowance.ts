import { createHash, randomUUID } from 'node:crypto';
import { smsCounters, type SmsCapRule, type SmsCounter, type SmsLimits } from '../domain/sms-limits.ts';
import type { SendingPorts } from '../ports.ts';

/** What taking the allowance of one SMS came to. */
export type SmsAllowance = { counted: string[] } | { refusedBy: SmsCapRule };

/**
 * Takes a unit of every cap an SMS about to be sent falls under (shared/domain/sms-limits.ts),
 * just before the provider call, while the attempt holds the delivery's claim:
 *
 *   per number and hour ─ok─> per firm and day ─ok─> per deployment and day ─ok─> send
 *        │ full                    │ full                  │ full
 *        └────────── give back what this call took ─> refused by the cap (send-delivery.ts:
 *                    the hourly one holds the SMS for the next hour, a daily one skips it)
 *
 * - Every unit is one conditional write on the counter's own item, so no number of tasks,
 *   notices, retries or parallel invocations gets more SMS out than the caps allow.
 * - A delivery remembers the counters it took a unit of (`smsCounted`, written on the claimed
 *   record before the provider call: send-delivery.ts), and its retries, in whatever hour or
 *   day, take no unit again: a delivery costs one unit of each cap however often it is retried.
 * - A unit is kept whatever the provider answers, also when it refused or the outcome is
 *   unknown: it may have been sent. When an attempt dies between taking its units and writing
 *   them on the delivery (milliseconds), its retry takes them again: the counters then count
 *   one SMS twice, never one too few.
 */
export async function takeSmsAllowance(
  ports: Pick<SendingPorts, 'store' | 'clock' | 'log' | 'sending'>,
  tenantId: string,
  mobile: string,
  limits: SmsLimits,
): Promise<SmsAllowance> {
  const counters = smsCounters(numberKey(mobile), ports.clock.now(), limits, ports.sending.smsDeploymentPerDay);
  const taken: SmsCounter[] = [];
  const giveBackTaken = () => Promise.all(taken.map((counter) => giveBack(ports, tenantId, counter)));
  for (const counter of counters) {
    let granted: boolean;
    try {
      granted = await ports.store.takeSmsUnit(tenantId, counter, randomUUID());
    } catch (error) {
      // The table failed: the attempt is retried, and must not have spent units meanwhile.
      await giveBackTaken();
      throw error;
    }
    if (!granted) {
      await giveBackTaken();
      return { refusedBy: counter.limit };
    }
    taken.push(counter);
  }
  return { counted: counters.map((c) => c.id) };
}

/** A unit given back after a later cap refused. Should it fail, the count stays one too high: the safe side. */
async function giveBack(ports: Pick<SendingPorts, 'store' | 'log'>, tenantId: string, counter: SmsCounter): Promise<void> {
  try {
    await ports.store.returnSmsUnit(tenantId, counter);
  } catch (error) {
    ports.log.warn('an SMS cap unit could not be given back; the count stays one too high', {
      rule: counter.limit,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}

/** A number as its counter's key shows it: a short hash (128 bits). */
function numberKey(e164: string): string {
  return createHash('sha256').update(e164).digest('base64url').slice(0, 22);
}
