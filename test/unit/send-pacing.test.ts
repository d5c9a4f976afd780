import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { classifySesError, toDeliveryError } from '../../shared/adapters/provider-errors.ts';
import { SES_CONNECTION_TIMEOUT_MS } from '../../shared/adapters/ses-client.ts';
import { parseConfig, PROVIDER_TIMEOUT_MAX_MS } from '../../shared/config.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { DeliveryError } from '../../shared/errors.ts';
import type { Mailer, RawEmail, SmsGateway } from '../../shared/ports.ts';
import { pacedMailer, pacedSmsGateway, SEND_WAIT_BUDGET_MS, SendPacer } from '../../shared/use-cases/send-pacing.ts';
import type { PaceTime } from '../../shared/use-cases/scheduler-pacing.ts';

/** The table's per-second counters, as DynamoDB's ADD keeps them, counting the calls. */
function slotTable() {
  const counters = new Map<string, number>();
  const table = {
    calls: 0,
    counters,
    reserveSendSlots: async (lane: string, second: number, count: number) => {
      table.calls += 1;
      const used = (counters.get(`${lane}/${second}`) ?? 0) + count;
      counters.set(`${lane}/${second}`, used);
      return used;
    },
  };
  return table;
}

/** Time that stands still; each sleep notes when its sender would start (epoch ms). */
function startTimes(nowMs: number): PaceTime & { starts: number[] } {
  const time = {
    starts: [] as number[],
    now: () => nowMs,
    sleep: async (ms: number) => {
      time.starts.push(nowMs + ms);
    },
  };
  return time;
}

const perSecond = (starts: number[]) => {
  const counts = new Map<number, number>();
  for (const at of starts) counts.set(Math.floor(at / 1000), (counts.get(Math.floor(at / 1000)) ?? 0) + 1);
  return [...counts.values()];
};

const T0 = 1_900_000_000_000;

/** A pacer's lane whose calls take up to SES's longest (3 s to connect, 10 s to answer). */
const lane = (pacer: SendPacer) => ({ pacer, longestCallMs: 13_000 });

describe('the send pacer', () => {
  it('places the sends waiting in one container with one UpdateItem per second touched, rate a second, evenly spaced', async () => {
    const table = slotTable();
    const time = startTimes(T0);
    const pacer = new SendPacer(table, 'ses', 10, time);
    await Promise.all(Array.from({ length: 30 }, () => pacer.take(T0 + 60_000)));
    expect(table.calls).toBe(3);
    expect(perSecond(time.starts)).toEqual([10, 10, 10]);
    const sorted = [...time.starts].sort((a, b) => a - b);
    expect(sorted[1]! - sorted[0]!).toBe(100);
  });

  it('keeps two containers together under the rate: the counter is shared, not each its share', async () => {
    const table = slotTable();
    const time = startTimes(T0);
    const a = new SendPacer(table, 'ses', 10, time);
    const b = new SendPacer(table, 'ses', 10, time);
    await Promise.all([...Array.from({ length: 15 }, () => a.take(T0 + 60_000)), ...Array.from({ length: 15 }, () => b.take(T0 + 60_000))]);
    expect(time.starts).toHaveLength(30);
    for (const count of perSecond(time.starts)) expect(count).toBeLessThanOrEqual(10);
  });

  it('refuses a place later than the deadline, as a transient failure that sent nothing', async () => {
    const pacer = new SendPacer(slotTable(), 'ses', 1, startTimes(T0));
    await pacer.take(T0 + 500);
    const refused = await pacer.take(T0 + 500).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused).toMatchObject({ transient: true, outcome: 'not-sent', code: 'send-rate' });
  });
});

describe('the send pacer when things go wrong', () => {
  it('hands the counter’s failure to every send waiting on that call, sends nothing, and places the next sends as before', async () => {
    const table = slotTable();
    let failing = true;
    const flaky = {
      reserveSendSlots: async (lane: string, second: number, count: number) => {
        if (failing) throw new Error('the table is busy');
        return table.reserveSendSlots(lane, second, count);
      },
    };
    const time = startTimes(T0);
    const pacer = new SendPacer(flaky, 'ses', 10, time);
    const refused = await Promise.allSettled([pacer.take(T0 + 12_000), pacer.take(T0 + 12_000)]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(time.starts).toEqual([]);
    failing = false;
    await Promise.all([pacer.take(T0 + 12_000), pacer.take(T0 + 12_000)]);
    expect(time.starts).toEqual([T0, T0 + 100]);
  });

  it('forgets how far ahead it had placed sends when the clock steps back, instead of refusing every send until the clock catches up', async () => {
    let now = T0 + 3_600_000;
    const time: PaceTime = { now: () => now, sleep: async () => undefined };
    const pacer = new SendPacer(slotTable(), 'ses', 1, time);
    // The second is full: this container's next places are in the seconds after it.
    await Promise.all([pacer.take(now + 12_000), pacer.take(now + 12_000), pacer.take(now + 12_000)]);
    now = T0; // the clock steps back an hour
    await expect(pacer.take(now + 12_000)).resolves.toBeUndefined();
  });
});

describe('a paced mailer meeting SES throttling', () => {
  const email = { from: 'a@b.example', to: 'c@d.example', raw: Buffer.from('x'), tags: {} } as RawEmail;
  const throttle = () => new DeliveryError('SES answered 400 ThrottlingException', true, { code: 'ses-throttled' });

  it('waits for a later place and sends again in the same attempt, burning one place per throttle', async () => {
    const table = slotTable();
    const time = startTimes(T0);
    let calls = 0;
    const ses: Mailer = {
      sendRaw: async () => {
        calls += 1;
        if (calls <= 2) throw throttle();
        return { messageId: 'm-1' };
      },
    };
    const mailer = pacedMailer(ses, lane(new SendPacer(table, 'ses', 10, time)));
    await expect(mailer.sendRaw(email)).resolves.toEqual({ messageId: 'm-1' });
    expect(calls).toBe(3);
    // Three sends' places and one burned per throttle.
    expect(table.counters.get(`ses/${T0 / 1000}`)).toBe(5);
  });

  it('gives the throttle back as transient once the wait budget is spent, and nothing else is retried', async () => {
    let now = T0;
    const time: PaceTime = { now: () => now, sleep: async (ms) => void (now += ms) };
    const always: Mailer = {
      sendRaw: async () => {
        now += 1_000;
        throw throttle();
      },
    };
    const throttled = await pacedMailer(always, lane(new SendPacer(slotTable(), 'ses', 10, time)))
      .sendRaw(email)
      .catch((error: unknown) => error);
    expect(throttled).toMatchObject({ code: 'ses-throttled', transient: true });
    expect(now - T0).toBeLessThanOrEqual(SEND_WAIT_BUDGET_MS + 2_000);

    let rejected = 0;
    const refusing: Mailer = {
      sendRaw: async () => {
        rejected += 1;
        throw new DeliveryError('SES answered 400 MessageRejected', false, { code: 'ses-message-rejected' });
      },
    };
    await expect(pacedMailer(refusing, lane(new SendPacer(slotTable(), 'ses', 10, time))).sendRaw(email)).rejects.toMatchObject({
      code: 'ses-message-rejected',
    });
    expect(rejected).toBe(1);
  });
});

describe('a paced send bounded by the end of its invocation', () => {
  const email = { from: 'a@b.example', to: 'c@d.example', raw: Buffer.from('x'), tags: {} } as RawEmail;

  it('calls only when the place leaves the longest call before `endBy`, else refuses as send-rate without calling or reserving', async () => {
    const table = slotTable();
    let calls = 0;
    const ses: Mailer = {
      sendRaw: async () => {
        calls += 1;
        return { messageId: String(calls) };
      },
    };
    // One a second: the second send's place is 1 s after the first's.
    const mailer = pacedMailer(ses, lane(new SendPacer(table, 'ses', 1, startTimes(T0))));
    await expect(mailer.sendRaw(email, { endBy: T0 + 13_000 })).resolves.toEqual({ messageId: '1' });
    const refused = await mailer.sendRaw(email, { endBy: T0 + 13_999 }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'send-rate', transient: true });
    await expect(mailer.sendRaw(email, { endBy: T0 + 14_000 })).resolves.toEqual({ messageId: '2' });

    // An end already too near for any call: refused before the table is asked.
    const writes = table.calls;
    await expect(mailer.sendRaw(email, { endBy: T0 + 12_999 })).rejects.toMatchObject({ code: 'send-rate' });
    expect({ calls, writes: table.calls - writes }).toEqual({ calls: 2, writes: 0 });
  });
});

describe('a paced SMS gateway meeting a 429 with Retry-After', () => {
  const sms = { account: { username: 'u', password: 'p' }, from: 'Frist', to: '+4791234567', text: 'x', reference: 'r' };
  const tooMany = (retryAfterMs?: number) =>
    new DeliveryError('the SMS gateway answered 429', true, { code: 'sms-http-429', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  /** Time that moves only when a sender sleeps (or a call takes time). */
  function movingTime(): PaceTime & { at: () => number } {
    let now = T0;
    return { now: () => now, sleep: async (ms) => void (now += ms), at: () => now };
  }

  /** A gateway that asks for a minute of quiet at every call, paced at 10 a second; `calls` counts them. */
  function quietPlease(table = slotTable()) {
    const time = movingTime();
    const counted = { calls: 0 };
    const gateway: SmsGateway = {
      send: async () => {
        counted.calls += 1;
        throw tooMany(60_000);
      },
    };
    return { counted, paced: pacedSmsGateway(gateway, lane(new SendPacer(table, 'sms', 10, time))) };
  }

  it('calls again only once the Retry-After has passed, and the container’s other sends wait for it too', async () => {
    const time = movingTime();
    const calls: number[] = [];
    const gateway: SmsGateway = {
      send: async () => {
        calls.push(time.now());
        if (calls.length === 1) throw tooMany(3_000);
        return { providerId: String(calls.length) };
      },
    };
    const paced = pacedSmsGateway(gateway, lane(new SendPacer(slotTable(), 'sms', 10, time)));
    await expect(paced.send(sms)).resolves.toEqual({ providerId: '2' });
    await expect(paced.send(sms)).resolves.toEqual({ providerId: '3' });
    expect(calls).toHaveLength(3);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(3_000);
    expect(calls[2]! - calls[0]!).toBeGreaterThanOrEqual(3_000);
  });

  it('gives a 429 whose Retry-After outlasts the wait budget back at once, as transient: one call, not one per place', async () => {
    const { counted, paced } = quietPlease();
    const refused = await paced.send(sms).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'sms-http-429', transient: true, outcome: 'not-sent' });
    expect(counted.calls).toBe(1);
  });

  it('refuses the container’s next sends during a hold longer than their wait without calling, and without reserving places after it', async () => {
    const table = slotTable();
    const { counted, paced } = quietPlease(table);
    await paced.send(sms).catch(() => undefined);
    const writes = table.calls;
    const next = await Promise.allSettled(Array.from({ length: 5 }, () => paced.send(sms)));
    expect(next.map((r) => (r.status === 'rejected' ? (r.reason as DeliveryError).code : 'sent'))).toEqual(Array(5).fill('send-rate'));
    expect({ calls: counted.calls, writes: table.calls - writes }).toEqual({ calls: 1, writes: 0 });
  });
});

describe('a paced mailer meeting the daily quota', () => {
  it('does not absorb “Daily message quota exceeded” as pacing: one call, given back as transient at once', async () => {
    let now = T0;
    const time: PaceTime = { now: () => now, sleep: async (ms) => void (now += ms) };
    let calls = 0;
    const quota: Mailer = {
      sendRaw: async () => {
        calls += 1;
        throw toDeliveryError(classifySesError(sesError('ThrottlingException', 'Daily message quota exceeded.')));
      },
    };
    const refused = await pacedMailer(quota, lane(new SendPacer(slotTable(), 'ses', 10, time)))
      .sendRaw({ from: 'a@b.example', to: 'c@d.example', raw: Buffer.from('x'), tags: {} })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'ses-daily-quota', transient: true, outcome: 'not-sent' });
    expect(calls).toBe(1);
  });
});

/** What the SDK throws for an SES error it has no class for: a service exception named after `x-amzn-errortype`. */
function sesError(name: string, message: string) {
  return new SESv2ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 } });
}

const BASE_ENV = { TABLE_NAME: 'unused-here' };

describe('the wait budget against the dispatch invocation', () => {
  it('leaves the longest provider call the configuration allows, and 5 s for the rest of the attempt, inside the function timeout', () => {
    // The last call may start at the end of the wait; SES's connects for up to 3 s, then waits for
    // its answer up to its timeout. Reads, claims and filing take the remaining 5 s at most.
    const longestCall = Math.max(SES_CONNECTION_TIMEOUT_MS + PROVIDER_TIMEOUT_MAX_MS, PROVIDER_TIMEOUT_MAX_MS);
    expect(SEND_WAIT_BUDGET_MS + longestCall + 5_000).toBeLessThanOrEqual(DISPATCH_QUEUE.functionTimeoutSeconds * 1000);
    // ... and the claim and the message's visibility outlast the whole attempt (docs/architecture.md).
    expect(DISPATCH_QUEUE.functionTimeoutSeconds).toBeLessThan(DISPATCH_QUEUE.claimLeaseSeconds);
    expect(DISPATCH_QUEUE.claimLeaseSeconds).toBeLessThan(DISPATCH_QUEUE.visibilityTimeoutSeconds);
  });

  it('refuses a provider timeout above that in the configuration, naming the variable', () => {
    for (const name of ['SES_TIMEOUT_MS', 'SMS_TIMEOUT_MS']) {
      expect(() => parseConfig({ ...BASE_ENV, [name]: String(PROVIDER_TIMEOUT_MAX_MS + 1) })).toThrow(name);
      expect(parseConfig({ ...BASE_ENV, [name]: String(PROVIDER_TIMEOUT_MAX_MS) })[name as 'SES_TIMEOUT_MS']).toBe(PROVIDER_TIMEOUT_MAX_MS);
    }
  });
});
