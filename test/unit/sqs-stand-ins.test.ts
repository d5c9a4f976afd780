import { describe, expect, it } from 'vitest';
import { SQS_SEND_MESSAGE_TARGET } from '../../shared/adapters/scheduler.adapter.ts';
import { schedulerSendsTo } from '../../local/local-queues.ts';
import { SqsEmulator } from '../../local/sqs-emulator.ts';
import { SqsEventSource } from '../../local/sqs-event-source.ts';
import { SqsQueue } from '../../local/sqs-queue.ts';
import { TestClock } from '../integration/clock.ts';

function queues(maxReceiveCount = 3) {
  const clock = new TestClock(new Date('2027-01-01T00:00:00Z'));
  const deadLetters = new SqsQueue({ name: 'dlq', clock, visibilityTimeoutSeconds: 30, retentionSeconds: 14 * 86_400 });
  const queue = new SqsQueue({
    name: 'q',
    clock,
    visibilityTimeoutSeconds: 180,
    retentionSeconds: 4 * 86_400,
    redrive: { deadLetter: deadLetters, maxReceiveCount },
  });
  return { clock, queue, deadLetters };
}

describe('the SQS queue stand-in', () => {
  it('hides a received message for the visibility timeout, then delivers it again with its receive count', () => {
    const { clock, queue } = queues();
    queue.send('a');
    expect(queue.receive(10).map((m) => m.attributes.ApproximateReceiveCount)).toEqual(['1']);
    clock.advance(179_000);
    expect(queue.receive(10)).toEqual([]);
    clock.advance(1_000);
    expect(queue.receive(10).map((m) => m.attributes.ApproximateReceiveCount)).toEqual(['2']);
  });

  it('deletes only by the latest receipt handle', () => {
    const { clock, queue } = queues();
    queue.send('a');
    const [first] = queue.receive(1);
    clock.advance(180_000);
    const [second] = queue.receive(1);
    queue.delete(first!.receiptHandle);
    expect(queue.list()).toHaveLength(1);
    queue.delete(second!.receiptHandle);
    expect(queue.list()).toHaveLength(0);
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount, keeping its id and body', () => {
    const { clock, queue, deadLetters } = queues(3);
    const id = queue.send('a');
    for (let i = 0; i < 3; i += 1) {
      expect(queue.receive(1)).toHaveLength(1);
      clock.advance(180_000);
    }
    expect(queue.receive(1)).toEqual([]);
    expect(deadLetters.list()).toEqual([expect.objectContaining({ messageId: id, body: 'a' })]);
  });

  it('drops a message older than the retention period', () => {
    const { clock, queue } = queues(1000);
    queue.send('a');
    clock.advance(4 * 86_400_000 + 1);
    expect(queue.receive(1)).toEqual([]);
    expect(queue.list()).toEqual([]);
  });

  it('keeps a delayed message invisible for its delay', () => {
    const { clock, queue } = queues();
    queue.send('a', 60);
    expect(queue.receive(1)).toEqual([]);
    clock.advance(60_000);
    expect(queue.receive(1)).toHaveLength(1);
  });
});

describe('the SQS queue stand-in as a fair queue', () => {
  function fairQueue() {
    const clock = new TestClock(new Date('2027-01-01T00:00:00Z'));
    let workMs = 0;
    const queue = new SqsQueue({ name: 'fair', clock, visibilityTimeoutSeconds: 180, retentionSeconds: 86_400, workClock: () => workMs });
    return { queue, work: (ms: number) => (workMs += ms) };
  }
  const tenantsOf = (received: { attributes: { MessageGroupId?: string } }[]) => received.map((m) => m.attributes.MessageGroupId);

  it('keeps sending order while no tenant stands out', () => {
    const { queue } = fairQueue();
    for (const tenant of ['a', 'a', 'b', 'a', 'c']) queue.send(tenant, 0, tenant);
    expect(tenantsOf(queue.receive(10))).toEqual(['a', 'a', 'b', 'a', 'c']);
  });

  it('puts a tenant with more than 10 % of the in-flight messages and 30 of its own behind the quiet ones', () => {
    const { queue } = fairQueue();
    for (let i = 0; i < 100; i += 1) queue.send('big', 0, 'big');
    queue.send('small', 0, 'small');
    expect(tenantsOf(queue.receive(10)).every((t) => t === 'big')).toBe(true);
    queue.receive(10);
    queue.receive(10);
    // 30 of the big firm's in flight, all of the queue's: the small firm's message comes next.
    expect(tenantsOf(queue.receive(10))[0]).toBe('small');
  });

  it('puts tenants with more than 10 % of the recent processing time behind a quiet one, even with few in flight each', () => {
    const { queue, work } = fairQueue();
    // Five firms, their messages interleaved, one of each in flight at a time: none comes near
    // 30 in flight, so only their processing time can flag them.
    for (let i = 0; i < 40; i += 1) for (const firm of ['a', 'b', 'c', 'd', 'e']) queue.send(firm, 0, firm);
    queue.send('small', 0, 'small');
    for (let round = 0; round < 2; round += 1) {
      const batch = queue.receive(5);
      expect(tenantsOf(batch)).toEqual(['a', 'b', 'c', 'd', 'e']);
      work(100);
      for (const m of batch) queue.delete(m.receiptHandle);
    }
    // Each firm has had a fifth of the last minute's second of work: all noisy, the small firm first.
    expect(tenantsOf(queue.receive(2))).toEqual(['small', 'a']);
  });

  it('forgets processing time older than a minute', () => {
    const { queue, work } = fairQueue();
    for (let i = 0; i < 20; i += 1) queue.send('a', 0, 'a');
    queue.send('b', 0, 'b');
    for (let round = 0; round < 10; round += 1) {
      const [m] = queue.receive(1);
      work(200);
      queue.delete(m!.receiptHandle);
    }
    work(61_000);
    expect(tenantsOf(queue.receive(1))).toEqual(['a']);
  });
});

describe('the event source mapping stand-in', () => {
  it('deletes every message of a batch but those reported as failed', async () => {
    const { queue } = queues();
    for (const body of ['ok', 'fail', 'ok']) queue.send(body);
    const source = new SqsEventSource({
      queue,
      batchSize: 10,
      maxConcurrency: 1,
      timeoutMs: 30_000,
      handler: async (event) => ({ batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({ itemIdentifier: r.messageId })) }),
    });
    await source.runDue();
    expect(queue.list().map((m) => m.body)).toEqual(['fail']);
  });

  it('keeps the whole batch when the function throws, or names a message not in the batch', async () => {
    const { queue } = queues();
    queue.send('a');
    queue.send('b');
    const throwing = new SqsEventSource({
      queue,
      batchSize: 10,
      maxConcurrency: 1,
      timeoutMs: 30_000,
      handler: async () => {
        throw new Error('crash');
      },
    });
    await throwing.runDue();
    expect(queue.list()).toHaveLength(2);
    expect(throwing.invocations[0]).toMatchObject({ failed: expect.any(Array), error: 'crash' });

    const { queue: other } = queues();
    other.send('a');
    const confused = new SqsEventSource({
      queue: other,
      batchSize: 10,
      maxConcurrency: 1,
      timeoutMs: 30_000,
      handler: async () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }),
    });
    await confused.runDue();
    expect(other.list()).toHaveLength(1);
  });

  it('keeps the whole batch when the function outlives its timeout, even if it answers success afterwards', async () => {
    const { queue } = queues();
    queue.send('a');
    queue.send('b');
    let answer!: () => void;
    const late = new SqsEventSource({
      queue,
      batchSize: 10,
      maxConcurrency: 1,
      timeoutMs: 20,
      handler: () =>
        new Promise((resolve) => {
          answer = () => resolve({ batchItemFailures: [] });
        }),
    });
    await late.runDue();
    answer();
    await Promise.resolve();
    expect(queue.list()).toHaveLength(2);
    expect(late.invocations[0]).toMatchObject({ failed: expect.any(Array), error: 'Task timed out after 0.02 seconds' });
    expect(late.invocations[0]!.failed).toHaveLength(2);
  });

  it('hands at most batchSize messages to one invocation', async () => {
    const { queue } = queues();
    for (let i = 0; i < 25; i += 1) queue.send(String(i));
    const sizes: number[] = [];
    const source = new SqsEventSource({
      queue,
      batchSize: 10,
      maxConcurrency: 2,
      timeoutMs: 30_000,
      handler: async (event) => {
        sizes.push(event.Records.length);
      },
    });
    await source.runDue();
    expect(sizes.sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(queue.list()).toEqual([]);
  });
});

describe("the Scheduler's SQS targets", () => {
  // On AWS the Scheduler's target is a SendMessage call: what SQS refuses fails the invocation
  // (retried, then the schedule's dead-letter queue), and nothing reaches the queue.
  it('send through SQS, so a message SQS would refuse fails the invocation and is not queued', async () => {
    const { queue } = queues();
    const invoke = schedulerSendsTo(new SqsEmulator([queue]), queue);
    const universal = (MessageBody: string, MessageGroupId = 'firm-1') => invoke(SQS_SEND_MESSAGE_TARGET, { QueueUrl: queue.url, MessageBody, MessageGroupId });
    await expect(universal('{"taskId":"t1"}', 'x'.repeat(129))).rejects.toThrow(/MessageGroupId/);
    await expect(universal('{"title":"\uffff"}')).rejects.toThrow(/characters outside the allowed set/);
    await expect(universal('x'.repeat(262_145))).rejects.toThrow(/shorter than/);
    await expect(invoke(queue.arn, { title: 'x'.repeat(262_144) })).rejects.toThrow(/shorter than/);
    expect(queue.list()).toEqual([]);
    await universal('{"taskId":"t1"}');
    await invoke(queue.arn, { taskId: 't2' });
    expect(queue.list().map((m) => [m.body, m.groupId])).toEqual([
      ['{"taskId":"t1"}', 'firm-1'],
      ['{"taskId":"t2"}', undefined],
    ]);
  });
});
