import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * Attack on issue 8: `9999-12-31` is a deadline the document accepts (its pattern, and a real
 * date), but an after-notice on it falls in the year 10000, which the Scheduler's `at()`
 * cannot say. The save reached the Scheduler with that invalid request and answered 503
 * "retry shortly": a retry can never succeed. User input must not reach a dependency as an
 * invalid request; the answer must be a 4xx naming the rule.
 */
let stack: TestStack;
let api: ApiClient;
let customerId: string;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-far-deadline');
  customerId = (await api.post('/customers', { name: 'Fjern AS', email: 'post@fjern.no' })).body.id;
});
afterAll(() => stack.stop());

describe('a deadline at the end of the calendar', () => {
  it('is refused with 422 rule deadline, not 503, when a notice would fall after year 9999', async () => {
    const res = await api.post('/tasks', {
      title: 'Langt fram',
      customerId,
      deadline: '9999-12-31',
      notices: [{ when: 'after', offset: 'P1D', channels: ['email'], subject: 'Forsinket', message: 'Fristen er ute.' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ rule: 'deadline' })]);
  });

  it('is refused the same way for a date-time whose offset moves it past year 9999', async () => {
    const res = await api.post('/tasks', {
      title: 'Langt fram',
      customerId,
      deadline: '9999-12-31T20:00:00-04:00',
      notices: [{ when: 'before', offset: 'PT1H', channels: ['email'], subject: 'Snart', message: 'Fristen er snart ute.' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ rule: 'deadline' })]);
  });
});
