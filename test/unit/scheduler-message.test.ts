import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { EventBridgeScheduler, type SchedulerTarget } from '../../shared/adapters/scheduler.adapter.ts';
import { parseDispatchEvent } from '../../shared/api/dispatch-event.schema.ts';
import type { ScheduleSpec } from '../../shared/ports.ts';

const TARGET: SchedulerTarget = {
  groupName: 'frist',
  targetArn: 'arn:aws:sqs:eu-north-1:123456789012:dispatch',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-north-1:123456789012:dead',
  retry: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
  customerHint: true,
};

/** The message body a schedule for `customerId` carries, as CreateSchedule is asked to write it. */
async function bodyFor(customerId: string | undefined, target = TARGET): Promise<unknown> {
  const sent: { input: { Target: { Input: string } } }[] = [];
  const client = { send: async (command: (typeof sent)[number]) => void sent.push(command) } as unknown as SchedulerClient;
  const event = { tenantId: 'firm-a', taskId: 'T1', noticeId: 'N1', occurrenceAt: '2030-02-07T08:00:00Z', planVersion: 3 };
  const spec: ScheduleSpec = { name: 'frist-T1-N1', at: event.occurrenceAt, input: { ...event, customerId } };
  await new EventBridgeScheduler(client, target).create(spec);
  return JSON.parse(sent[0]!.input.Target.Input);
}

describe("a schedule's message and the customer hint", () => {
  it('names the customer, in a message dispatch accepts', async () => {
    const body = await bodyFor('C_1');
    expect(body).toMatchObject({ customerId: 'C_1' });
    expect(parseDispatchEvent(body).success).toBe(true);
  });

  // A hint dispatch would refuse would send the whole message to the dead-letter queue, schedule after schedule.
  it.each(['', 'a.b', 'x'.repeat(65), undefined])('leaves out a customer that is no message id (%j)', async (customerId) => {
    const body = await bodyFor(customerId);
    expect(body).not.toHaveProperty('customerId');
    expect(parseDispatchEvent(body).success).toBe(true);
  });

  it('leaves it out while the switch is off', async () => {
    expect(await bodyFor('C_1', { ...TARGET, customerHint: false })).not.toHaveProperty('customerId');
  });
});
