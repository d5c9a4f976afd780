import { describe, expect, it } from 'vitest';
import { busiestSmsWindows, SMS_LIMIT_DEFAULTS, smsCounters, type SmsCounter } from '../../shared/domain/sms-limits.ts';
import { countryAllowed, countryOf } from '../../shared/domain/sms-countries.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import { takeSmsAllowance } from '../../shared/use-cases/sms-allowance.ts';

describe('the countries an SMS may go to', () => {
  it("are told by the number's country: Norway by default, others only when the firm allows them", () => {
    expect(countryOf('+4791234567')).toBe('NO');
    expect(countryOf('+46701234567')).toBe('SE');
    expect(countryAllowed('+4791234567', SMS_LIMIT_DEFAULTS)).toBe(true);
    expect(countryAllowed('+46701234567', SMS_LIMIT_DEFAULTS)).toBe(false);
    expect(countryAllowed('+46701234567', { ...SMS_LIMIT_DEFAULTS, allowedCountries: ['NO', 'SE'] })).toBe(true);
    expect(countryAllowed('+4791234567', { ...SMS_LIMIT_DEFAULTS, allowedCountries: [] })).toBe(false);
  });

  it('refuse a number whose country cannot be told', () => {
    expect(countryAllowed('+999123456789', SMS_LIMIT_DEFAULTS)).toBe(false);
  });
});

describe('the counters an SMS takes a unit of', () => {
  const counters = smsCounters('hash', new Date('2027-03-28T00:59:59.999Z'), { ...SMS_LIMIT_DEFAULTS, perDay: 40 }, 900);

  it('are the number in its UTC hour, the firm in its UTC day and the deployment in its UTC day, the narrowest first', () => {
    expect(counters.map((c) => [c.limit, c.id, c.scope, c.cap])).toEqual([
      ['per-number-hour', 'per-number-hour#hash#2027-03-28T00', 'tenant', 5],
      ['per-day', 'per-day#2027-03-28', 'tenant', 40],
      ['deployment-per-day', 'deployment-per-day#2027-03-28', 'deployment', 900],
    ]);
  });

  it('expire two days after their window ends (DynamoDB TTL, epoch seconds)', () => {
    expect(counters.map((c) => new Date(c.expiresAt * 1000).toISOString())).toEqual([
      '2027-03-30T01:00:00.000Z',
      '2027-03-31T00:00:00.000Z',
      '2027-03-31T00:00:00.000Z',
    ]);
  });

  it('change window on the hour and at UTC midnight, not at a local DST change', () => {
    const next = smsCounters('hash', new Date('2027-03-28T01:00:00Z'), SMS_LIMIT_DEFAULTS, 900);
    expect(next[0]!.id).toBe('per-number-hour#hash#2027-03-28T01');
    expect(next[1]!.id).toBe(counters[1]!.id);
  });
});

describe("a plan's busiest windows", () => {
  it('count the SMS of its busiest UTC hour and day', () => {
    expect(busiestSmsWindows(['2027-03-01T09:01:00Z', '2027-03-01T09:59:00Z', '2027-03-01T10:00:00Z', '2027-03-02T09:00:00Z'])).toEqual({
      perHour: 2,
      perDay: 3,
    });
    expect(busiestSmsWindows([])).toEqual({ perHour: 0, perDay: 0 });
  });
});

/** Counters in memory with the store's rules: a take is granted below the cap, a give-back takes one off. */
function countersInMemory(options: { failOn?: string } = {}) {
  const counts = new Map<string, number>();
  const calls: string[] = [];
  const store = {
    takeSmsUnit: async (_tenant: string, counter: SmsCounter) => {
      calls.push(`take ${counter.limit}`);
      if (counter.limit === options.failOn) throw new Error('the table failed');
      const count = counts.get(counter.id) ?? 0;
      if (count >= counter.cap) return false;
      counts.set(counter.id, count + 1);
      return true;
    },
    returnSmsUnit: async (_tenant: string, counter: SmsCounter) => {
      calls.push(`give back ${counter.limit}`);
      counts.set(counter.id, (counts.get(counter.id) ?? 0) - 1);
    },
  };
  const ports = {
    store: store as unknown as SendingPorts['store'],
    clock: { now: () => new Date('2027-03-01T09:30:00Z') },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    sending: { smsDeploymentPerDay: 3 } as SendingPorts['sending'],
  };
  return { ports, counts, calls };
}

describe('taking the allowance of one SMS', () => {
  const limits = { ...SMS_LIMIT_DEFAULTS, perNumberPerHour: 2, perDay: 10 };

  it('takes a unit of each cap and names them, for the delivery to remember', async () => {
    const { ports, counts } = countersInMemory();
    const allowance = await takeSmsAllowance(ports, 'firm', '+4791234567', limits);
    expect(allowance).toEqual({
      counted: [expect.stringMatching(/^per-number-hour#[\w-]{22}#2027-03-01T09$/), 'per-day#2027-03-01', 'deployment-per-day#2027-03-01'],
    });
    expect([...counts.values()]).toEqual([1, 1, 1]);
  });

  it('is refused by the first full cap, and gives back the units it took before it', async () => {
    const { ports, counts, calls } = countersInMemory();
    for (const mobile of ['+4791000001', '+4791000002', '+4791000003']) await takeSmsAllowance(ports, 'firm', mobile, limits);
    calls.length = 0;
    expect(await takeSmsAllowance(ports, 'firm', '+4791000004', limits)).toEqual({ refusedBy: 'deployment-per-day' });
    expect(calls).toEqual(['take per-number-hour', 'take per-day', 'take deployment-per-day', 'give back per-number-hour', 'give back per-day']);
    expect(counts.get('per-day#2027-03-01')).toBe(3);
  });

  it('refuses the third SMS to one number in an hour under a cap of 2, before touching the day caps', async () => {
    const { ports, calls } = countersInMemory();
    await takeSmsAllowance(ports, 'firm', '+4791234567', limits);
    await takeSmsAllowance(ports, 'firm', '+4791234567', limits);
    calls.length = 0;
    expect(await takeSmsAllowance(ports, 'firm', '+4791234567', limits)).toEqual({ refusedBy: 'per-number-hour' });
    expect(calls).toEqual(['take per-number-hour']);
  });

  it('gives back what it took when the table fails, and lets the failure through (the send is retried)', async () => {
    const { ports, counts } = countersInMemory({ failOn: 'deployment-per-day' });
    await expect(takeSmsAllowance(ports, 'firm', '+4791234567', limits)).rejects.toThrow('the table failed');
    expect([...counts.values()]).toEqual([0, 0]);
  });
});
