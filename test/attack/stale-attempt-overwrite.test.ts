import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '../../functions/dispatch/app.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { gate, startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * ATTACK: an SMS attempt that outlives its claim's lease. The next attempt takes the claim
 * over (flagged possibleDuplicate), sends and files. Then the old attempt's send returns:
 * its markSent is refused (token), which it only logs, and then `fileSms` writes the whole
 * record with an *unconditional* PutItem (delivery-records.ts `update` without a token):
 * the old attempt's record, without `possibleDuplicate`, replaces the one that had it. Two
 * SMS went out, the record says one, unflagged, with the first attempt's provider id.
 *
 * docs/architecture.md: "Each write after the claim is conditional on the claim's token, so
 * an attempt that outlived its lease cannot overwrite the attempt that took over." Promise:
 * "a second copy is always flagged possibleDuplicate". On AWS the 30 s function timeout
 * normally ends such an attempt before its 90 s lease; the local stack's event source has no
 * function timeout at all (sqs-event-source.ts), so there it happens whenever a provider
 * call or a store call hangs.
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

function eventOf(messages: ReturnType<AttackStack['dispatchQueue']['receive']>): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: { ...m.attributes, SenderId: 'scheduler.amazonaws.com' } as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: stack.dispatchQueue.arn,
      awsRegion: 'eu-north-1',
    })),
  };
}

describe('an SMS attempt that outlived its lease', () => {
  it('does not overwrite the record of the attempt that took over (the second copy stays flagged)', async () => {
    const task = await stack.dueTask('Stale attempt', ['sms'], 60_000);
    const atProvider = gate();
    const release = gate();
    stack.beforeProvider.push(async () => {
      atProvider.open();
      await release.wait;
    });
    stack.clock.advance(60_000);
    const first = stack.runDue();
    await atProvider.wait;

    // The first attempt hangs past its lease (90 s) and the visibility timeout (180 s): the
    // message comes back and a second invocation takes the claim over and sends.
    stack.clock.advance(200_000);
    const batch = stack.dispatchQueue.receive(10);
    expect(batch).toHaveLength(1);
    const response = await createDispatchHandler(stack.sendingPorts, stack.telemetry.dispatch)(
      eventOf(batch),
      lambdaContext('dispatch', 'taken-over', DISPATCH_QUEUE.functionTimeoutSeconds * 1000),
    );
    expect(response.batchItemFailures).toEqual([]);
    stack.dispatchQueue.delete(batch[0]!.receiptHandle);
    const [takenOver] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(takenOver).toMatchObject({ state: 'sent', possibleDuplicate: true });

    // Now the first attempt's gateway call returns.
    release.open();
    await first;

    const copies = stack.sms.sent.filter((m) => m.text === 'Husk Stale attempt.').length;
    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(copies).toBe(2);
    expect({ state: record!.state, possibleDuplicate: record!.possibleDuplicate === true }).toEqual({ state: 'sent', possibleDuplicate: true });
  });
});
