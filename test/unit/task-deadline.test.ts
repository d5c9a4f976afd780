import { describe, expect, it } from 'vitest';
import { deadlineOf, deadlineParts } from '../../web/src/features/task/utils/deadline.ts';

/** The task page's deadline: a date and an optional time in the firm's zone, sent with that zone's offset on that day. */
describe('the task form deadline', () => {
  it('sends a date alone as the date, and a date with a time with the offset of that day (DST)', () => {
    expect(deadlineOf({ date: '2027-02-10', time: '' }, 'Europe/Oslo')).toBe('2027-02-10');
    expect(deadlineOf({ date: '2027-02-10', time: '14:00' }, 'Europe/Oslo')).toBe('2027-02-10T14:00:00+01:00');
    expect(deadlineOf({ date: '2027-06-10', time: '14:00' }, 'Europe/Oslo')).toBe('2027-06-10T14:00:00+02:00');
    expect(deadlineOf({ date: '2027-06-10', time: '14:00' }, 'America/New_York')).toBe('2027-06-10T14:00:00-04:00');
    expect(deadlineOf({ date: '', time: '' }, 'Europe/Oslo')).toBeUndefined();
  });

  it('moves a time in the spring gap forward and takes the earlier instant in the autumn overlap, as the API plans', () => {
    expect(deadlineOf({ date: '2027-03-28', time: '02:30' }, 'Europe/Oslo')).toBe('2027-03-28T03:30:00+02:00');
    expect(deadlineOf({ date: '2027-10-31', time: '02:30' }, 'Europe/Oslo')).toBe('2027-10-31T02:30:00+02:00');
  });

  it('leaves what it cannot read for the schema to refuse', () => {
    expect(deadlineOf({ date: '2027-02-30', time: '14:00' }, 'Europe/Oslo')).toBe('2027-02-30T14:00');
    expect(deadlineOf({ date: '', time: '14:00' }, 'Europe/Oslo')).toBe('T14:00');
  });

  it("reads a stored deadline back as its date and time in the firm's zone", () => {
    expect(deadlineParts('2027-02-10', 'Europe/Oslo')).toEqual({ date: '2027-02-10', time: '' });
    expect(deadlineParts('2027-01-04T08:02:00Z', 'Europe/Oslo')).toEqual({ date: '2027-01-04', time: '09:02' });
    expect(deadlineParts('2027-06-30T23:30:00Z', 'Europe/Oslo')).toEqual({ date: '2027-07-01', time: '01:30' });
    expect(deadlineParts(undefined, 'Europe/Oslo')).toEqual({ date: '', time: '' });
  });
});
