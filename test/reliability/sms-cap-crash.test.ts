import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReliabilityStack, type ReliabilityStack } from './reliability-stack.ts';

/**
 * The SMS caps through a crash: dispatch dies after the gateway accepted an SMS, under a cap
 * of one SMS an hour to the number. The retry sends again (flagged, as every retry after such
 * a crash does) without taking a second unit, and the cap still holds for the next SMS, which
 * waits for the next hour.
 */
let stack: ReliabilityStack;
beforeAll(async () => {
  stack = await startReliabilityStack('2027-05-03T10:00:00Z');
  const settings = (await stack.api.get('/settings')).body;
  const patched = await stack.api.patch('/settings', { smsLimits: { perNumberPerHour: 1 }, version: settings.version });
  expect(patched.status).toBe(200);
  stack.clock.advance(120_000); // past dispatch's 60 s settings cache
});
afterAll(() => stack.stop());

it('takes one unit for an SMS whose attempt died after the gateway accepted it; the retry takes none, and the cap holds for the next SMS', async () => {
  const first = await stack.dueTask('crashed sms', ['sms']);
  stack.crash.arm('after-provider');
  stack.clock.advance(60_000);
  await stack.runDue();
  expect(stack.crash.happened).toEqual(['after-provider']);
  await stack.afterVisibilityTimeout();
  const second = await stack.dueTask('next sms', ['sms']);
  stack.clock.advance(60_000);
  await stack.runDue();

  const [crashed] = (await stack.api.get(`/tasks/${first.id}/deliveries`)).body.items;
  expect(crashed).toMatchObject({ state: 'sent', possibleDuplicate: true, attempts: 2 });
  const [next] = (await stack.api.get(`/tasks/${second.id}/deliveries`)).body.items;
  // The number had its one SMS this hour: the next waits for the next hour, not sent now.
  expect(next).toMatchObject({ state: 'pending', code: 'per-number-hour', reason: 'held by the per-number hourly SMS cap until 2027-05-03T11:00:00Z' });
  expect(stack.providerCalls.filter((c) => c.text.includes('next sms'))).toEqual([]);
});
