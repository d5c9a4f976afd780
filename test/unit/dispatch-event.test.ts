import { describe, expect, it } from 'vitest';
import { parseDispatchEvent } from '../../shared/api/dispatch-event.schema.ts';
import { bodyJson } from '../../functions/sqs/body-json.ts';

const EVENT = { tenantId: 'firm-1', taskId: 'T_1', noticeId: 'n1', occurrenceAt: '2027-03-01T09:00:00Z', planVersion: 3 };
/** What dispatch logs of a refused message: each problem's path and code (functions/dispatch/app.ts). */
const refusal = (body: string) => {
  const parsed = parseDispatchEvent(bodyJson(body));
  return parsed.success ? 'accepted' : parsed.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
};

describe("dispatch's message (plain checks, the codes zod gave)", () => {
  it('takes a schedule input as the Scheduler hands it', () => {
    expect(parseDispatchEvent(bodyJson(JSON.stringify(EVENT)))).toEqual({ success: true, data: EVENT });
  });

  it.each([
    ['not JSON', 'nothing', [': invalid_type']],
    ['not an object', '[]', [': invalid_type']],
    ['a member missing', JSON.stringify({ ...EVENT, taskId: undefined }), ['taskId: invalid_type']],
    ['an id of the wrong form', JSON.stringify({ ...EVENT, noticeId: 'n 1' }), ['noticeId: invalid_format']],
    ['an id too long', JSON.stringify({ ...EVENT, tenantId: 'f'.repeat(65) }), ['tenantId: invalid_format']],
    ['an instant with milliseconds', JSON.stringify({ ...EVENT, occurrenceAt: '2027-03-01T09:00:00.000Z' }), ['occurrenceAt: invalid_format']],
    ['a version as text', JSON.stringify({ ...EVENT, planVersion: '3' }), ['planVersion: invalid_type']],
    ['a fractional version', JSON.stringify({ ...EVENT, planVersion: 1.5 }), ['planVersion: invalid_type']],
    ['a version 0', JSON.stringify({ ...EVENT, planVersion: 0 }), ['planVersion: too_small']],
    ['a member of another release', JSON.stringify({ ...EVENT, planVersion: 0, extra: 1 }), ['planVersion: too_small', ': unrecognized_keys']],
  ])('refuses %s, naming each problem', (_, body, problems) => {
    expect(refusal(body)).toEqual(problems);
  });

  it('names the members it does not know', () => {
    const parsed = parseDispatchEvent({ ...EVENT, extra: 1, more: 2 });
    expect(parsed.success ? undefined : parsed.issues[0]!.message).toBe('Unrecognized keys: "extra", "more"');
  });
});

describe("dispatch's message: the customer it names", () => {
  it('reads a message with the customer it names, and one without (a schedule written before the hint)', () => {
    expect(parseDispatchEvent({ ...EVENT, customerId: 'C1' })).toEqual({ success: true, data: { ...EVENT, customerId: 'C1' } });
    expect(parseDispatchEvent(EVENT)).toEqual({ success: true, data: EVENT });
  });

  it.each(['', 'a.b', 'x'.repeat(65)])('refuses a customer that is no id (%j)', (customerId) => {
    expect(parseDispatchEvent({ ...EVENT, customerId }).success).toBe(false);
  });

  // Why writing a new field is a switch deployed after the reader (README, "Deploy"): a field this version does not know is refused.
  it('refuses a field it does not know', () => {
    expect(parseDispatchEvent({ ...EVENT, customerId: 'C1', unknownToThisVersion: 'x' }).success).toBe(false);
  });
});
