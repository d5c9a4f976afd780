import { describe, expect, it } from 'vitest';
import {
  ceilingIssues,
  changeSmsLimits,
  pendingAt,
  requestedLimitsAt,
  smsLimitsInForce,
  type SmsCeiling,
  type StoredSmsLimits,
} from '../../shared/domain/sms-limit-changes.ts';
import { SMS_LIMIT_DEFAULTS, type SmsLimits } from '../../shared/domain/sms-limits.ts';

const CEILING: SmsCeiling = { perDay: 2_000, perNumberPerHour: 10, countries: ['NO', 'SE', 'DK', 'FI', 'IS'] };
const SAVED_AT = new Date('2027-03-01T10:00:00Z');
const DAY_LATER = '2027-03-02T10:00:00.000Z';
const limits = (changes: Partial<SmsLimits>): SmsLimits => ({ ...SMS_LIMIT_DEFAULTS, ...changes });
const at = (iso: string) => new Date(iso);

/** The stored limits after a save of `wanted` at `now` on `settings`, with a 24-hour delay. */
function save(settings: StoredSmsLimits, wanted: SmsLimits, now = SAVED_AT) {
  const { raised, ...stored } = changeSmsLimits(settings, wanted, now, 24);
  return { stored, raised };
}

describe('a raise of the SMS limits', () => {
  const { stored, raised } = save({}, limits({ perDay: 1_000, allowedCountries: ['NO', 'SE'] }));

  it('waits 24 hours as a pending raise, and is announced', () => {
    expect(raised).toBe(true);
    expect(stored.smsLimits).toEqual(SMS_LIMIT_DEFAULTS);
    expect(stored.smsLimitsPending).toEqual({
      ...limits({ perDay: 1_000, allowedCountries: ['NO', 'SE'] }),
      requestedAt: SAVED_AT.toISOString(),
      effectiveAt: DAY_LATER,
    });
  });

  it('is not in force a millisecond before its time, and is from its time on', () => {
    expect(smsLimitsInForce(stored, at('2027-03-02T09:59:59.999Z'), CEILING)).toEqual(SMS_LIMIT_DEFAULTS);
    expect(pendingAt(stored, at('2027-03-02T09:59:59.999Z'))).toBeDefined();
    expect(smsLimitsInForce(stored, at(DAY_LATER), CEILING)).toEqual(limits({ perDay: 1_000, allowedCountries: ['NO', 'SE'] }));
    expect(pendingAt(stored, at(DAY_LATER))).toBeUndefined();
  });

  it('is in force at once when the deployment sets no delay', () => {
    const wanted = limits({ perDay: 1_000 });
    expect(changeSmsLimits({}, wanted, SAVED_AT, 0)).toEqual({ smsLimits: wanted, raised: false });
  });
});

describe('a lowering of the SMS limits', () => {
  it('is in force at once, and raises nothing', () => {
    const { stored, raised } = save({}, limits({ perDay: 100, perNumberPerHour: 2 }));
    expect(raised).toBe(false);
    expect(stored).toEqual({ smsLimits: limits({ perDay: 100, perNumberPerHour: 2 }) });
  });

  it('after a raise cancels the raise: nothing above what it asks for ever comes in force', () => {
    const raise = save({}, limits({ perDay: 1_000, allowedCountries: ['NO', 'SE'] })).stored;
    const { stored } = save(raise, limits({ perDay: 300 }), at('2027-03-01T11:00:00Z'));
    expect(stored).toEqual({ smsLimits: limits({ perDay: 300 }) });
    expect(smsLimitsInForce(stored, at('2027-03-05T00:00:00Z'), CEILING)).toEqual(limits({ perDay: 300 }));
  });

  it('and a raise in one save: the lowering at once, the raise after the delay', () => {
    const { stored } = save({ smsLimits: limits({ allowedCountries: ['NO', 'SE'] }) }, limits({ perDay: 800, allowedCountries: ['NO'], perNumberPerHour: 3 }));
    expect(smsLimitsInForce(stored, SAVED_AT, CEILING)).toEqual(limits({ allowedCountries: ['NO'], perNumberPerHour: 3 }));
    expect(smsLimitsInForce(stored, at(DAY_LATER), CEILING)).toEqual(limits({ perDay: 800, allowedCountries: ['NO'], perNumberPerHour: 3 }));
  });
});

describe('a save while a raise waits', () => {
  const raise = save({}, limits({ perDay: 1_000, allowedCountries: ['NO', 'SE'] })).stored;
  const later = at('2027-03-01T20:00:00Z');

  it('that asks for the same keeps its time (a patch of another setting does not put it off)', () => {
    const { stored, raised } = save(raise, requestedLimitsAt(raise, later), later);
    expect(raised).toBe(false);
    expect(stored.smsLimitsPending).toEqual(raise.smsLimitsPending);
  });

  it('that asks for less than it keeps its time', () => {
    const { stored } = save(raise, limits({ perDay: 700, allowedCountries: ['NO', 'SE'] }), later);
    expect(stored.smsLimitsPending).toMatchObject({ perDay: 700, effectiveAt: DAY_LATER });
  });

  it('that asks for more starts the wait again, and is announced', () => {
    const { stored, raised } = save(raise, limits({ perDay: 1_500, allowedCountries: ['NO', 'SE'] }), later);
    expect(raised).toBe(true);
    expect(stored.smsLimitsPending).toMatchObject({ perDay: 1_500, requestedAt: later.toISOString(), effectiveAt: '2027-03-02T20:00:00.000Z' });
  });

  it('after its time settles it: it is the limits in force, and nothing waits', () => {
    const { stored } = save(raise, requestedLimitsAt(raise, at(DAY_LATER)), at(DAY_LATER));
    expect(stored).toEqual({ smsLimits: limits({ perDay: 1_000, allowedCountries: ['NO', 'SE'] }) });
  });
});

describe("the deployment's ceiling", () => {
  it('refuses a cap over it or a country it does not offer, naming the field and the limit', () => {
    expect(ceilingIssues(limits({ perDay: 2_001, perNumberPerHour: 11, allowedCountries: ['NO', 'US'] }), SMS_LIMIT_DEFAULTS, CEILING)).toEqual([
      { field: 'smsLimits.perDay', rule: 'max', message: "must be at most 2000, this deployment's ceiling" },
      { field: 'smsLimits.perNumberPerHour', rule: 'max', message: "must be at most 10, this deployment's ceiling" },
      {
        field: 'smsLimits.allowedCountries.1',
        rule: 'country-not-offered',
        message: 'SMS to US are not offered by this deployment; it offers NO, SE, DK, FI, IS',
      },
    ]);
    expect(ceilingIssues(limits({ perDay: 2_000, perNumberPerHour: 10, allowedCountries: ['IS'] }), SMS_LIMIT_DEFAULTS, CEILING)).toEqual([]);
  });

  it('does not refuse again what a firm already has from before a lower ceiling, but the guard uses no more than the ceiling', () => {
    const had = limits({ perDay: 5_000, allowedCountries: ['NO', 'US'] });
    expect(ceilingIssues(had, had, CEILING)).toEqual([]);
    expect(ceilingIssues(limits({ perDay: 5_001 }), had, CEILING).map((i) => i.field)).toEqual(['smsLimits.perDay']);
    expect(smsLimitsInForce({ smsLimits: had }, SAVED_AT, CEILING)).toEqual(limits({ perDay: 2_000, allowedCountries: ['NO'] }));
  });
});
