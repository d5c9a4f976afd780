import { describe, expect, it } from 'vitest';
import { formatPhoneForReaders, maskPhone, toE164Mobile } from '../../shared/domain/phone.ts';
import { normaliseSmsSender } from '../../shared/domain/sms-sender.ts';
import { normaliseOrgNumber } from '../../shared/domain/org-number.ts';
import { daysToDeadline } from '../../shared/domain/merge-values.ts';

describe('toE164Mobile', () => {
  it.each([
    ['91234567', '+4791234567'],
    ['912 34 567', '+4791234567'],
    ['+47 412 34 567', '+4741234567'],
    ['004791234567', '+4791234567'],
    ['+46701234567', '+46701234567'],
  ])('normalises %j to %s', (input, e164) => {
    expect(toE164Mobile(input)).toBe(e164);
  });

  it.each(['22334455', '12345678', '1234', 'abc', '', '+47 9123'])('refuses %j', (input) => {
    expect(toE164Mobile(input)).toBeUndefined();
  });

  it('masks all but the country code and last two digits', () => {
    expect(maskPhone('+4791234567')).toBe('+47******67');
  });
});

describe('normaliseSmsSender', () => {
  it.each(['Tall og Tid', 'TALLOGTID', 'Firma 2', 'A', '12345678901'])('accepts the name %j', (name) => {
    expect(normaliseSmsSender(name)).toBe(name);
  });

  it('accepts a phone number and writes it in E.164', () => {
    expect(normaliseSmsSender('+47 912 34 567')).toBe('+4791234567');
    expect(normaliseSmsSender('912 34 567')).toBe('+4791234567');
  });

  it.each(['Tall og Tid AS', 'Tall&Tid', 'Ærlig', '', '   ', '+47 1'])('refuses %j', (name) => {
    expect(normaliseSmsSender(name)).toBeUndefined();
  });
});

describe('phone numbers as Norwegian readers write them', () => {
  it.each([
    ['+4791234567', '912 34 567'],
    ['+4741234567', '412 34 567'],
    ['+4722334455', '22 33 44 55'],
    ['+46701234567', '+46 70 123 45 67'],
    ['not a number', 'not a number'],
  ])('%s reads %s', (number, written) => {
    expect(formatPhoneForReaders(number)).toBe(written);
  });
});

describe('Norwegian organisation numbers', () => {
  it.each([
    ['974760673', '974760673'],
    ['974 760 673', '974760673'],
    ['974760672', undefined],
    ['97476067', undefined],
  ])('%s is %s', (input, stored) => {
    expect(normaliseOrgNumber(input)).toBe(stored);
  });
});

describe('days to a deadline, in the firm\u2019s zone', () => {
  it('counts calendar days: 3 before, 0 on the day, -2 two days after', () => {
    expect(daysToDeadline('2027-02-10', 'Europe/Oslo', new Date('2027-02-07T08:00:00Z'))).toBe(3);
    expect(daysToDeadline('2027-02-10', 'Europe/Oslo', new Date('2027-02-10T22:59:00Z'))).toBe(0);
    // 00:30 in Oslo on 12 February is still 11 February in UTC.
    expect(daysToDeadline('2027-02-10', 'Europe/Oslo', new Date('2027-02-11T23:30:00Z'))).toBe(-2);
  });
});
