import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * Dispatch's read of the task after its claim fails (DynamoDB throttled): nothing reached the
 * provider. The claim must not be left to run out, or the next attempt takes it over as a dead
 * attempt's that may have sent: it would wait for the lease and flag a `possibleDuplicate`
 * that never was (shared/use-cases/dispatch-notice.ts, sendIfStillPlanned).
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

describe("dispatch's read after the claim fails", () => {
  it('lets the claim go unsent, so the next attempt sends once without a duplicate warning', async () => {
    const task = await stack.dueTask('Omlesing feiler', ['email'], 60_000);
    // Dispatch's reads by key: the task with its customer (and settings); the task again, after the claim.
    stack.dispatchHooks.set('getByKeys', [
      () => undefined,
      () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      },
    ]);
    stack.clock.advance(60_000);
    await stack.runDue();
    const [first] = await stack.ports.store.listDeliveries(TENANT, task.id);
    await stack.afterVisibilityTimeout();
    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect({
      first: { state: first!.state, code: first!.code },
      sent: stack.providerCalls.filter((c) => c.text.includes('Omlesing feiler')).length,
      state: record!.state,
      possibleDuplicate: record!.possibleDuplicate ?? false,
    }).toEqual({ first: { state: 'retrying', code: 'internal' }, sent: 1, state: 'sent', possibleDuplicate: false });
  });
});
