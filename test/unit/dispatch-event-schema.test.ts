import { describe, expect, it } from 'vitest';
import { DispatchEventSchema } from '../../shared/api/dispatch-event.schema.ts';

const event = { tenantId: 'firm-a', taskId: 'T1', noticeId: 'N1', occurrenceAt: '2030-02-07T08:00:00Z', planVersion: 3 };

describe('the dispatch message', () => {
  it('reads a message with the customer it names, and one without (a schedule written before the hint)', () => {
    expect(DispatchEventSchema.safeParse({ ...event, customerId: 'C1' })).toEqual({ success: true, data: { ...event, customerId: 'C1' } });
    expect(DispatchEventSchema.safeParse(event)).toEqual({ success: true, data: event });
  });

  it.each(['', 'a.b', 'x'.repeat(65)])('refuses a customer that is no id (%j)', (customerId) => {
    expect(DispatchEventSchema.safeParse({ ...event, customerId }).success).toBe(false);
  });

  // Why writing a new field is a switch deployed after the reader (README, "Deploy"): a field this version does not know is refused.
  it('refuses a field it does not know', () => {
    expect(DispatchEventSchema.safeParse({ ...event, customerId: 'C1', unknownToThisVersion: 'x' }).success).toBe(false);
  });
});
