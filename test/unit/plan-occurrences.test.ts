import { describe, expect, it } from 'vitest';
import { nextOccurrence, planOccurrences, type PlanInput, type PlannedNotice } from '../../shared/domain/plan-occurrences.ts';
import { RULES_BEFORE_ISSUE_10 } from '../../shared/domain/send-rules.ts';

const OSLO = 'Europe/Oslo';

/** Planned as before the send rules: e-mail notices, any day, no quiet hours (send-rules.test.ts has the rules). */
function plan(overrides: Partial<Omit<PlanInput, 'notices'>> & { notices: (Omit<PlannedNotice, 'channels'> & Partial<PlannedNotice>)[] }) {
  return planOccurrences({
    deadline: '2027-02-10',
    status: 'open',
    timeZone: OSLO,
    rules: RULES_BEFORE_ISSUE_10,
    plannedAt: '2027-01-01T00:00:00Z',
    ...overrides,
    notices: overrides.notices.map((n) => ({ channels: ['email'], ...n })),
  });
}

describe('planOccurrences', () => {
  it('sends a date-only notice at 09:00 local time by default', () => {
    const [occurrence] = plan({ notices: [{ id: 'n1', when: 'before', offset: 'P3D' }] });
    expect(occurrence).toMatchObject({ at: '2027-02-07T08:00:00Z', local: '2027-02-07T09:00+01:00', state: 'scheduled' });
  });

  it('keeps 09:00 on the wall clock when a day offset crosses the spring DST change', () => {
    // Oslo moves to summer time on 2027-03-28; the notice is three days later in summer time.
    const [occurrence] = plan({ deadline: '2027-03-26', notices: [{ id: 'n1', when: 'after', offset: 'P3D' }] });
    expect(occurrence).toMatchObject({ at: '2027-03-29T07:00:00Z', local: '2027-03-29T09:00+02:00' });
  });

  it('keeps 09:00 on the wall clock when a day offset crosses the autumn DST change', () => {
    // Oslo returns to standard time on 2027-10-31 at 03:00.
    const [winter] = plan({ deadline: '2027-11-01', notices: [{ id: 'n1', when: 'before', offset: 'P1D' }] });
    expect(winter).toMatchObject({ at: '2027-10-31T08:00:00Z', local: '2027-10-31T09:00+01:00' });
    const [summer] = plan({ deadline: '2027-11-01', notices: [{ id: 'n1', when: 'before', offset: 'P2D' }] });
    expect(summer).toMatchObject({ at: '2027-10-30T07:00:00Z', local: '2027-10-30T09:00+02:00' });
  });

  it('moves a send time inside the spring gap forward by the length of the gap', () => {
    const [occurrence] = plan({
      deadline: '2027-03-28',
      notices: [{ id: 'n1', when: 'before', offset: 'PT0S', sendAt: '02:30' }],
    });
    expect(occurrence).toMatchObject({ at: '2027-03-28T01:30:00Z', local: '2027-03-28T03:30+02:00' });
  });

  it('does not carry the gap of the deadline day onto a notice on another day', () => {
    const [occurrence] = plan({
      deadline: '2027-03-28',
      notices: [{ id: 'n1', when: 'before', offset: 'P1D', sendAt: '02:30' }],
    });
    expect(occurrence).toMatchObject({ local: '2027-03-27T02:30+01:00' });
  });

  it('takes the earlier instant for a send time that occurs twice in the autumn overlap', () => {
    const [occurrence] = plan({
      deadline: '2027-10-31',
      notices: [{ id: 'n1', when: 'after', offset: 'PT0S', sendAt: '02:30' }],
    });
    expect(occurrence).toMatchObject({ at: '2027-10-31T00:30:00Z', local: '2027-10-31T02:30+02:00' });
  });

  it('moves exact time for hour offsets across the DST change', () => {
    // 2027-03-28T04:00+02:00 minus 3 exact hours is 00:00+01:00: the wall clock shows 4 hours.
    const [occurrence] = plan({
      deadline: '2027-03-28T04:00:00+02:00',
      notices: [{ id: 'n1', when: 'before', offset: 'PT3H' }],
    });
    expect(occurrence).toMatchObject({ at: '2027-03-27T23:00:00Z', local: '2027-03-28T00:00+01:00' });
  });

  it('anchors a date-time deadline at its instant and ignores sendAt', () => {
    const [occurrence] = plan({
      deadline: '2027-02-10T14:00:00Z',
      notices: [{ id: 'n1', when: 'before', offset: 'P1D', sendAt: '09:00' }],
    });
    expect(occurrence).toMatchObject({ at: '2027-02-09T14:00:00Z', local: '2027-02-09T15:00+01:00' });
  });

  it('clamps a month offset at the end of a shorter month', () => {
    const [occurrence] = plan({ deadline: '2027-03-31', notices: [{ id: 'n1', when: 'before', offset: 'P1M' }] });
    expect(occurrence?.local).toBe('2027-02-28T09:00+01:00');
  });

  it('counts the leap day as a calendar day', () => {
    const [occurrence] = plan({
      deadline: '2028-03-01',
      plannedAt: '2028-01-01T00:00:00Z',
      notices: [{ id: 'n1', when: 'before', offset: 'P1D' }],
    });
    expect(occurrence?.local).toBe('2028-02-29T09:00+01:00');
  });

  it('crosses a year end', () => {
    const [occurrence] = plan({
      deadline: '2027-12-31',
      notices: [{ id: 'n1', when: 'after', offset: 'P1D' }],
    });
    expect(occurrence?.local).toBe('2028-01-01T09:00+01:00');
  });

  it('repeats an after-deadline notice every N calendar days, the given number of times', () => {
    const occurrences = plan({
      deadline: '2027-03-20',
      notices: [{ id: 'n1', when: 'after', offset: 'P1D', repeat: { every: 7, times: 2 } }],
    });
    expect(occurrences.map((o) => [o.repetition, o.local])).toEqual([
      [0, '2027-03-21T09:00+01:00'],
      [1, '2027-03-28T09:00+02:00'],
      [2, '2027-04-04T09:00+02:00'],
    ]);
  });

  it('marks occurrences at or before the moment of planning as past', () => {
    const occurrences = plan({
      plannedAt: '2027-02-08T08:00:00Z',
      notices: [
        { id: 'early', when: 'before', offset: 'P3D' },
        { id: 'exact', when: 'before', offset: 'P2D' },
        { id: 'late', when: 'before', offset: 'P1D' },
      ],
    });
    expect(occurrences.map((o) => [o.noticeId, o.state])).toEqual([
      ['early', 'past'],
      ['exact', 'past'],
      ['late', 'scheduled'],
    ]);
  });

  it('stops every future occurrence of a completed task', () => {
    const occurrences = plan({
      status: 'completed',
      plannedAt: '2027-02-08T12:00:00Z',
      notices: [
        { id: 'before', when: 'before', offset: 'P3D' },
        { id: 'after', when: 'after', offset: 'P1D' },
      ],
    });
    expect(occurrences.map((o) => [o.noticeId, o.state])).toEqual([
      ['before', 'past'],
      ['after', 'stopped'],
    ]);
  });

  it('plans nothing for a task without a deadline', () => {
    expect(plan({ deadline: undefined, notices: [{ id: 'n1', when: 'before', offset: 'P1D' }] })).toEqual([]);
  });

  it('sorts occurrences by time across notices', () => {
    const occurrences = plan({
      notices: [
        { id: 'after', when: 'after', offset: 'PT0S' },
        { id: 'before', when: 'before', offset: 'PT2H' },
      ],
    });
    expect(occurrences.map((o) => o.noticeId)).toEqual(['before', 'after']);
  });
});

describe('nextOccurrence', () => {
  it('is the first scheduled occurrence after now', () => {
    const occurrences = plan({
      notices: [
        { id: 'a', when: 'before', offset: 'P3D' },
        { id: 'b', when: 'before', offset: 'P1D' },
      ],
    });
    expect(nextOccurrence(occurrences, new Date('2027-02-08T00:00:00Z'))?.noticeId).toBe('b');
    expect(nextOccurrence(occurrences, new Date('2027-03-01T00:00:00Z'))).toBeUndefined();
  });

  it('counts an occurrence at this very second as gone, whatever the milliseconds', () => {
    const occurrences = plan({ notices: [{ id: 'a', when: 'before', offset: 'P1D' }] });
    expect(nextOccurrence(occurrences, new Date('2027-02-09T08:00:00.000Z'))).toBeUndefined();
    expect(nextOccurrence(occurrences, new Date('2027-02-09T07:59:59.999Z'))?.noticeId).toBe('a');
  });
});
