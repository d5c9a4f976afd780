import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/domain/model.ts';
import { planOccurrences, type PlannedNotice } from '../../shared/domain/plan-occurrences.ts';
import { publicHoliday } from '../../shared/domain/business-days.ts';
import { DEFAULT_QUIET_HOURS, quietMillisBetween, type SendRules } from '../../shared/domain/send-rules.ts';

const OSLO = 'Europe/Oslo';
const QUIET_OFF = { ...DEFAULT_QUIET_HOURS, enabled: false };
const BUSINESS: SendRules = { sendOn: 'businessDays', quietHours: QUIET_OFF };

function plan(
  deadline: string,
  notice: Partial<PlannedNotice> & Pick<PlannedNotice, 'when' | 'offset'>,
  rules: SendRules = BUSINESS,
  channels: Channel[] = ['email'],
) {
  return planOccurrences({
    deadline,
    status: 'open',
    timeZone: OSLO,
    rules,
    plannedAt: '2026-01-01T00:00:00Z',
    notices: [{ id: 'n1', channels, ...notice }],
  });
}

describe('business days', () => {
  it('moves a before-notice off Easter 2027 to the Wednesday before, at 09:00 across the spring DST change', () => {
    // Deadline Tue 30 March; P2D lands on Easter Sunday, 28 March, the day Oslo moves to summer time.
    const [o] = plan('2027-03-30', { when: 'before', offset: 'P2D' });
    expect(o).toMatchObject({
      at: '2027-03-24T08:00:00Z',
      local: '2027-03-24T09:00+01:00',
      movedFrom: '2027-03-28T07:00:00Z',
      movedFromLocal: '2027-03-28T09:00+02:00',
    });
    expect(o!.movedBecause).toEqual([
      { kind: 'holiday', date: '2027-03-28', holiday: 'Første påskedag' },
      { kind: 'weekend', date: '2027-03-27' },
      { kind: 'holiday', date: '2027-03-26', holiday: 'Langfredag' },
      { kind: 'holiday', date: '2027-03-25', holiday: 'Skjærtorsdag' },
    ]);
  });

  it('moves an after-notice off Easter 2028 (13-17 April) to Tuesday 18 April', () => {
    const [o] = plan('2028-04-12', { when: 'after', offset: 'P1D' });
    expect(o).toMatchObject({ local: '2028-04-18T09:00+02:00', movedFromLocal: '2028-04-13T09:00+02:00' });
    expect(o!.movedBecause!.map((r) => r.holiday ?? r.kind)).toEqual(['Skjærtorsdag', 'Langfredag', 'weekend', 'Første påskedag', 'Andre påskedag']);
  });

  it('knows Easter, Ascension and Whit Monday 2030 from the library, not a table', () => {
    const names = ['2030-04-18', '2030-04-19', '2030-04-21', '2030-04-22', '2030-05-30', '2030-06-10'].map((d) => publicHoliday(Temporal.PlainDate.from(d)));
    expect(names).toEqual(['Skjærtorsdag', 'Langfredag', 'Første påskedag', 'Andre påskedag', 'Kristi himmelfartsdag', 'Andre pinsedag']);
    const [o] = plan('2030-04-25', { when: 'before', offset: 'P3D' });
    expect(o).toMatchObject({ local: '2030-04-17T09:00+02:00' });
  });

  it('counts only public holidays: Christmas Eve (a bank day) is a business day', () => {
    expect(publicHoliday(Temporal.PlainDate.from('2027-12-24'))).toBeUndefined();
    const [o] = plan('2027-12-27', { when: 'before', offset: 'P3D' });
    expect(o).toMatchObject({ local: '2027-12-24T09:00+01:00' });
    expect(o!.movedBecause).toBeUndefined();
  });

  it('moves off 17 May on a Saturday: back to Friday before, on to Monday after', () => {
    const [before] = plan('2031-05-20', { when: 'before', offset: 'P3D' });
    expect(before).toMatchObject({ local: '2031-05-16T09:00+02:00', movedBecause: [{ kind: 'holiday', date: '2031-05-17', holiday: 'Grunnlovsdagen' }] });
    const [after] = plan('2031-05-16', { when: 'after', offset: 'P1D' });
    expect(after).toMatchObject({ local: '2031-05-19T09:00+02:00' });
    expect(after!.movedBecause!.map((r) => r.kind)).toEqual(['holiday', 'weekend']);
  });

  it('moves a notice across a month end, both ways', () => {
    // Sat 1 May 2027 (also Labour Day) back to Fri 30 April; Sat 31 July 2027 on to Mon 2 August.
    expect(plan('2027-05-03', { when: 'before', offset: 'P2D' })[0]).toMatchObject({ local: '2027-04-30T09:00+02:00' });
    expect(plan('2027-07-30', { when: 'after', offset: 'P1D' })[0]).toMatchObject({ local: '2027-08-02T09:00+02:00' });
  });

  it('keeps the wall-clock time across the autumn DST change, and leaves the deadline as it is', () => {
    // Sunday 31 October 2027: Oslo is back on standard time from 03:00.
    const [o] = plan('2027-10-31T14:00:00+01:00', { when: 'before', offset: 'PT2H' });
    expect(o).toMatchObject({ local: '2027-10-29T12:00+02:00', at: '2027-10-29T10:00:00Z', movedFrom: '2027-10-31T11:00:00Z' });
  });

  it('leaves a business day as it is, and follows a notice that overrides the firm', () => {
    expect(plan('2027-02-10', { when: 'before', offset: 'P1D' })[0]).not.toHaveProperty('movedFrom');
    const any = plan('2027-03-30', { when: 'before', offset: 'P2D', sendOn: 'any' })[0];
    expect(any).toMatchObject({ local: '2027-03-28T09:00+02:00' });
    const overridden = plan('2027-03-30', { when: 'before', offset: 'P2D', sendOn: 'businessDays' }, { ...BUSINESS, sendOn: 'any' })[0];
    expect(overridden).toMatchObject({ local: '2027-03-24T09:00+01:00' });
  });

  it('makes one occurrence of daily repetitions that land on the same Monday', () => {
    // Due Thursday 4 Feb 2027, daily after-notices: Fri, Sat, Sun, Mon, Tue; Sat and Sun become Monday.
    const occurrences = plan('2027-02-04', { when: 'after', offset: 'P1D', repeat: { every: 1, times: 4 } });
    expect(occurrences.map((o) => [o.repetition, o.local])).toEqual([
      [0, '2027-02-05T09:00+01:00'],
      [1, '2027-02-08T09:00+01:00'],
      [4, '2027-02-09T09:00+01:00'],
    ]);
  });
});

describe('quiet hours for SMS', () => {
  const QUIET: SendRules = { sendOn: 'any', quietHours: DEFAULT_QUIET_HOURS };

  it('holds an SMS at 22:30 to 08:00 while its e-mail goes at once: two occurrences of one repetition', () => {
    const occurrences = plan('2027-02-10T22:30:00+01:00', { when: 'after', offset: 'PT0S' }, QUIET, ['email', 'sms']);
    expect(occurrences).toEqual([
      expect.objectContaining({ repetition: 0, local: '2027-02-10T22:30+01:00', channels: ['email'] }),
      expect.objectContaining({
        repetition: 0,
        local: '2027-02-11T08:00+01:00',
        channels: ['sms'],
        movedFromLocal: '2027-02-10T22:30+01:00',
        movedBecause: [{ kind: 'quiet-hours' }],
      }),
    ]);
    expect(occurrences[0]).not.toHaveProperty('movedFrom');
  });

  it('counts 21:00 inside and 08:00 outside; an SMS-only notice is one occurrence', () => {
    expect(plan('2027-02-10T21:00:00+01:00', { when: 'after', offset: 'PT0S' }, QUIET, ['sms'])).toEqual([
      expect.objectContaining({ local: '2027-02-11T08:00+01:00', movedFromLocal: '2027-02-10T21:00+01:00' }),
    ]);
    expect(plan('2027-02-10T08:00:00+01:00', { when: 'after', offset: 'PT0S' }, QUIET, ['sms'])[0]).not.toHaveProperty('movedFrom');
    expect(plan('2027-02-10T07:59:00+01:00', { when: 'after', offset: 'PT0S' }, QUIET, ['sms'])[0]).toMatchObject({ local: '2027-02-10T08:00+01:00' });
  });

  it('ends the window at 08:00 summer time the night the clocks go forward', () => {
    const [o] = plan('2027-03-27T23:00:00+01:00', { when: 'after', offset: 'PT0S' }, QUIET, ['sms']);
    expect(o).toMatchObject({ at: '2027-03-28T06:00:00Z', local: '2027-03-28T08:00+02:00' });
  });

  it('with business days, a window that ends on a Saturday moves on to Monday 08:00', () => {
    const [email, sms] = plan('2027-02-05T22:00:00+01:00', { when: 'after', offset: 'PT0S' }, { ...QUIET, sendOn: 'businessDays' }, ['email', 'sms']);
    expect(email).toMatchObject({ local: '2027-02-05T22:00+01:00', channels: ['email'] });
    expect(sms).toMatchObject({ local: '2027-02-08T08:00+01:00', channels: ['sms'] });
    expect(sms!.movedBecause!.map((r) => r.kind)).toEqual(['quiet-hours', 'weekend', 'weekend']);
  });

  it('does nothing when turned off, or for e-mail', () => {
    expect(plan('2027-02-10T23:00:00+01:00', { when: 'after', offset: 'PT0S' }, { ...QUIET, quietHours: QUIET_OFF }, ['sms'])[0]).not.toHaveProperty(
      'movedFrom',
    );
    expect(plan('2027-02-10T23:00:00+01:00', { when: 'after', offset: 'PT0S' }, QUIET, ['email'])[0]).not.toHaveProperty('movedFrom');
  });

  it('supports a window that does not cross midnight', () => {
    const lunch: SendRules = { sendOn: 'any', quietHours: { enabled: true, start: '11:30', end: '12:30' } };
    expect(plan('2027-02-10T12:00:00+01:00', { when: 'after', offset: 'PT0S' }, lunch, ['sms'])[0]).toMatchObject({ local: '2027-02-10T12:30+01:00' });
    expect(plan('2027-02-10T13:00:00+01:00', { when: 'after', offset: 'PT0S' }, lunch, ['sms'])[0]).not.toHaveProperty('movedFrom');
  });

  // A reminder is for before the deadline: held to the window's end it would come after it.
  it('sends a before-notice SMS that the window would hold past its deadline half an hour before the window instead', () => {
    // 23:59 the night of a filing deadline, reminded two hours before: 21:59 is quiet, 08:00 is too late.
    // The SMS now comes before the e-mail (the plan is in time order).
    const [sms, email] = plan('2027-04-12T23:59:00+02:00', { when: 'before', offset: 'PT2H' }, QUIET, ['email', 'sms']);
    expect(email).toMatchObject({ local: '2027-04-12T21:59+02:00', channels: ['email'] });
    expect(sms).toMatchObject({
      local: '2027-04-12T20:30+02:00',
      channels: ['sms'],
      movedFromLocal: '2027-04-12T21:59+02:00',
      movedBecause: [{ kind: 'quiet-hours' }],
    });
    // Early in the morning: the window began the evening before.
    expect(plan('2027-02-10T07:30:00+01:00', { when: 'before', offset: 'PT1H' }, QUIET, ['sms'])[0]).toMatchObject({ local: '2027-02-09T20:30+01:00' });
    // A window that ends before the deadline still holds the SMS to its end.
    expect(plan('2027-02-10T09:00:00+01:00', { when: 'before', offset: 'PT3H' }, QUIET, ['sms'])[0]).toMatchObject({ local: '2027-02-10T08:00+01:00' });
  });

  it('with business days, does not carry a before-notice SMS over the weekend past a Saturday deadline, but back to Friday evening', () => {
    const rules: SendRules = { ...QUIET, sendOn: 'businessDays' };
    // Friday 22:00 is quiet; Saturday 08:00 is a day off; Monday 08:00 is two days after the deadline.
    expect(plan('2027-02-06T10:00:00+01:00', { when: 'before', offset: 'PT12H' }, rules, ['sms'])[0]).toMatchObject({
      local: '2027-02-05T20:30+01:00',
      movedBecause: [{ kind: 'quiet-hours' }],
    });
    // Monday 05:00 for a deadline at 07:00: Sunday evening is a day off, so Friday evening.
    const [monday] = plan('2027-02-08T07:00:00+01:00', { when: 'before', offset: 'PT2H' }, rules, ['sms']);
    expect(monday).toMatchObject({ local: '2027-02-05T20:30+01:00' });
    expect(monday!.movedBecause!.map((r) => r.kind)).toEqual(['quiet-hours', 'weekend', 'weekend']);
  });

  it('with business days, does not carry a before-notice SMS forward over Easter 2027 and its DST change, but back to the Wednesday evening', () => {
    const rules: SendRules = { ...QUIET, sendOn: 'businessDays' };
    // Sunday 28 March 22:00 (Easter, the night the clocks go forward) is a day off: back to
    // Wednesday 24 March 22:00, quiet; its window ends on Maundy Thursday, and the next
    // business day is Tuesday 30 March, five days later, two hours before the deadline.
    const [sms] = plan('2027-03-30T10:00:00+02:00', { when: 'before', offset: 'P1DT12H' }, rules, ['sms']);
    expect(sms).toMatchObject({ local: '2027-03-24T20:30+01:00', at: '2027-03-24T19:30:00Z', movedFromLocal: '2027-03-28T22:00+02:00' });
    expect(sms!.movedBecause!.map((r) => r.holiday ?? r.kind)).toEqual(['Første påskedag', 'weekend', 'Langfredag', 'Skjærtorsdag', 'quiet-hours']);
  });

  it('reminds of a deadline at 00:30 the evening before, and across a month end on a 1 May that is a Saturday', () => {
    const rules: SendRules = { ...QUIET, sendOn: 'businessDays' };
    // Monday 00:30: an hour before is Sunday 23:30, back to Friday 23:30, quiet; Friday 20:30.
    const [sms, email] = plan('2027-02-08T00:30:00+01:00', { when: 'before', offset: 'PT1H' }, rules, ['email', 'sms']);
    expect(email).toMatchObject({ local: '2027-02-05T23:30+01:00', channels: ['email'] });
    expect(sms).toMatchObject({ local: '2027-02-05T20:30+01:00', channels: ['sms'] });
    // 1 May 2027 is a holiday and a Saturday; a day before at 22:00 is Friday 30 April, quiet.
    expect(plan('2027-05-01', { when: 'before', offset: 'P1D', sendAt: '22:00' }, rules, ['sms'])[0]).toMatchObject({ local: '2027-04-30T20:30+02:00' });
    // After-notices repeated daily over Easter 2027 go forward to Tuesday, once, SMS the morning after.
    const after = plan('2027-03-24T22:00:00+01:00', { when: 'after', offset: 'PT0S', repeat: { every: 1, times: 6 } }, rules, ['email', 'sms']);
    expect(after.map((o) => [o.repetition, o.local, o.channels])).toEqual([
      [0, '2027-03-24T22:00+01:00', ['email']],
      [0, '2027-03-30T08:00+02:00', ['sms']],
      [1, '2027-03-30T22:00+02:00', ['email']],
      [1, '2027-03-31T08:00+02:00', ['sms']],
    ]);
  });

  it('counts a date-only deadline as due until its day ends, and keeps a minute before a window that leaves less than half an hour free', () => {
    // sendAt 22:00 the day before: the window ends at 08:00 on the deadline's day, still in time.
    expect(plan('2027-02-10', { when: 'before', offset: 'P1D', sendAt: '22:00' }, QUIET, ['sms'])[0]).toMatchObject({ local: '2027-02-10T08:00+01:00' });
    // The deadline's own day at 22:00: the next morning is the day after.
    expect(plan('2027-02-10', { when: 'before', offset: 'PT0S', sendAt: '22:00' }, QUIET, ['sms'])[0]).toMatchObject({ local: '2027-02-10T20:30+01:00' });
    const almostAlways: SendRules = { sendOn: 'any', quietHours: { enabled: true, start: '21:00', end: '20:45' } };
    expect(plan('2027-02-10T23:00:00+01:00', { when: 'before', offset: 'PT0S' }, almostAlways, ['sms'])[0]).toMatchObject({ local: '2027-02-10T20:59+01:00' });
  });

  it('leaves an after-notice SMS at the window’s end, after the deadline as it should be', () => {
    expect(plan('2027-04-12T23:59:00+02:00', { when: 'after', offset: 'PT1M' }, QUIET, ['sms'])[0]).toMatchObject({ local: '2027-04-13T08:00+02:00' });
  });

  it('measures the time inside quiet hours between two instants, across a DST night', () => {
    const at = (s: string) => Temporal.Instant.from(s);
    // 20:00 to 09:00 next day: 21:00-08:00 inside, 11 hours.
    expect(quietMillisBetween(at('2027-02-10T19:00:00Z'), at('2027-02-11T08:00:00Z'), OSLO, DEFAULT_QUIET_HOURS)).toBe(11 * 3_600_000);
    // The night the clocks go forward is an hour shorter.
    expect(quietMillisBetween(at('2027-03-27T19:00:00Z'), at('2027-03-28T07:00:00Z'), OSLO, DEFAULT_QUIET_HOURS)).toBe(10 * 3_600_000);
    // Inside the window to inside the next: 23:00 to 22:00 the day after is 9 + 1 hours.
    expect(quietMillisBetween(at('2027-02-10T22:00:00Z'), at('2027-02-11T21:00:00Z'), OSLO, DEFAULT_QUIET_HOURS)).toBe(10 * 3_600_000);
    expect(quietMillisBetween(at('2027-02-10T22:00:00Z'), at('2027-02-11T21:00:00Z'), OSLO, QUIET_OFF)).toBe(0);
  });
});
