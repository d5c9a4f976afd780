import {
  BatchEntryIdsNotDistinct,
  InvalidBatchEntryId,
  InvalidMessageContents,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  RequestThrottled,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import { SqsWebhookQueue } from '../../shared/adapters/sqs-webhook-queue.adapter.ts';
import type { WebhookMessage } from '../../shared/api/webhook-message.schema.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { SqsEmulator } from '../../local/sqs-emulator.ts';
import { SqsQueue } from '../../local/sqs-queue.ts';
import { TestClock } from './clock.ts';

// The SQS stand-in, spoken to by the real @aws-sdk/client-sqs: whatever the SDK makes of its
// answers is what Frist's code gets on AWS.
const clock = new TestClock(new Date('2027-03-01T09:00:00Z'));
const queue = new SqsQueue({ name: 'frist-jobs-test', clock, visibilityTimeoutSeconds: 30, retentionSeconds: 3600 });
const emulator = new SqsEmulator([queue]);
let client: SQSClient;
let endpoint: string;

const sdk = (maxAttempts?: number) =>
  new SQSClient({ region: 'eu-north-1', endpoint, credentials: LOCAL_CREDENTIALS, ...(maxAttempts ? { maxAttempts } : {}) });
const send = (body: string, extra: Record<string, unknown> = {}, to = client) =>
  to.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, ...extra }));
const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error as Error & Record<string, any>,
  );

const webhookEvent = (i: number, data: Record<string, string> = {}): WebhookMessage => ({
  kind: 'event',
  tenantId: 'firm',
  event: { id: `evt_${i}`, type: 'notice.sent', timestamp: '2027-03-01T09:00:00.000Z', data },
});

beforeAll(async () => {
  endpoint = await emulator.start();
  client = sdk();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  queue.clear();
  emulator.requests = 0;
});

describe('the SQS stand-in, through the real SDK client', () => {
  it('queues a message and answers with its id and the MD5 the SDK checks the body against', async () => {
    const result = await send('{"step":0,"text":"æøå 🙂"}');
    // The SDK throws InvalidChecksumError when MD5OfMessageBody does not match what it sent.
    expect(result.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    expect(queue.list().map((m) => [m.messageId, m.body])).toEqual([[result.MessageId, '{"step":0,"text":"æøå 🙂"}']]);
  });

  it('keeps a message back for its DelaySeconds', async () => {
    await send('later', { DelaySeconds: 60 });
    expect(queue.receive(10)).toEqual([]);
    clock.advance(60_000);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['later']);
  });

  it('refuses a queue it does not have with the modelled QueueDoesNotExist', async () => {
    const error = await failure(client.send(new SendMessageCommand({ QueueUrl: `${queue.url}-gone`, MessageBody: 'x' })));
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({ name: 'QueueDoesNotExist', message: 'The specified queue does not exist.', $metadata: { httpStatusCode: 400 } });
    expect(error!.Error).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', Type: 'Sender' });
  });

  it('refuses what it does not serve, and a delay past 15 minutes', async () => {
    const receive = await failure(client.send(new ReceiveMessageCommand({ QueueUrl: queue.url })));
    expect(receive).toBeInstanceOf(UnsupportedOperation);
    const delayed = await failure(send('x', { DelaySeconds: 901 }));
    expect(delayed).toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
    expect(queue.list()).toEqual([]);
  });

  it('throttles when told, as the modelled RequestThrottled', async () => {
    emulator.failNext('RequestThrottled');
    const error = await failure(send('x', {}, sdk(1)));
    expect(error).toBeInstanceOf(RequestThrottled);
    expect(queue.list()).toEqual([]);
  });

  it('queues a batch of up to 10, answering each entry; an entry it refuses fails alone', async () => {
    const big = 'x'.repeat(262_145);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: big },
          { Id: 'c', MessageBody: 'third', DelaySeconds: 60 },
        ],
      }),
    );
    // The SDK checks each successful entry's MD5 against the body it sent.
    expect(result.Successful?.map((e) => e.Id)).toEqual(['a', 'c']);
    expect(result.Failed).toEqual([expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue' })]);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['first']);
    clock.advance(60_000);
    // 'first' is back too: it was received, never deleted, and its visibility timeout ran out.
    expect(queue.receive(10).map((m) => m.body)).toContain('third');
  });

  it('refuses a batch of more than 10 entries, or of ids not distinct, as a whole', async () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` }));
    const tooMany = await failure(client.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries })));
    expect(tooMany).toBeInstanceOf(TooManyEntriesInBatchRequest);
    const twice = await failure(client.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [entries[0]!, entries[0]!] })));
    expect(twice).toBeInstanceOf(BatchEntryIdsNotDistinct);
    expect(queue.list()).toEqual([]);
  });

  it('refuses a batch whose entry ids are not 1 to 80 letters, digits, hyphens or underscores, as a whole', async () => {
    for (const Id of ['a.b', 'x'.repeat(81), '']) {
      const error = await failure(client.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id, MessageBody: 'm' }] })));
      expect(error).toBeInstanceOf(InvalidBatchEntryId);
      expect(error!.Error).toMatchObject({ Code: 'AWS.SimpleQueueService.InvalidBatchEntryId', Type: 'Sender' });
    }
    await client.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: 'A-z_9'.padEnd(80, '0'), MessageBody: 'm' }] }));
    expect(queue.list().map((m) => m.body)).toEqual(['m']);
  });

  it('refuses a body with a character outside the set SQS allows, alone or as a batch entry, and queues nothing of it', async () => {
    // U+FFFF passes JSON.stringify as it is; a lone surrogate is escaped by it and comes back whole.
    for (const body of ['{"title":"\uffff"}', 'half \ud800 pair', 'bell \u0007']) {
      const error = await failure(send(body));
      expect(error).toBeInstanceOf(InvalidMessageContents);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    }
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'ok', MessageBody: 'tab\tnew line\n æ 🙂 \ufffd' },
          { Id: 'bad', MessageBody: 'x\ufffe' },
        ],
      }),
    );
    expect(result.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' })]);
    expect(queue.list().map((m) => m.body)).toEqual(['tab\tnew line\n æ 🙂 \ufffd']);
  });

  it("keeps a batch entry's MessageGroupId, as SendMessage does", async () => {
    await client.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: 'g', MessageBody: 'm', MessageGroupId: 'firm-1' }] }));
    expect(queue.list().map((m) => m.groupId)).toEqual(['firm-1']);
    const bad = await client.send(
      new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: 'g', MessageBody: 'm', MessageGroupId: 'x'.repeat(129) }] }),
    );
    expect(bad.Failed).toEqual([expect.objectContaining({ Id: 'g', Code: 'InvalidParameterValue' })]);
  });

  it('sends webhook events 10 a call, and says which SQS did not take', async () => {
    const webhooks = new SqsWebhookQueue(client, queue.url);
    const events = Array.from({ length: 12 }, (_, i) => webhookEvent(i, i === 11 ? { big: 'x'.repeat(262_144) } : {}));
    expect(await webhooks.sendBatch(events)).toEqual([...Array(11).fill(true), false]);
    expect(emulator.requests).toBe(2);
    expect(queue.list()).toHaveLength(11);
  });

  it('sends again, once, the webhook events SQS failed on its side (SenderFault false), as the SDK retries a SendMessage', async () => {
    const webhooks = new SqsWebhookQueue(client, queue.url);
    emulator.failEntriesNext('InternalError', 2);
    expect(await webhooks.sendBatch(Array.from({ length: 3 }, (_, i) => webhookEvent(i)))).toEqual([true, true, true]);
    expect(emulator.requests).toBe(2);
    expect(
      queue
        .list()
        .map((m) => (JSON.parse(m.body) as { event: { id: string } }).event.id)
        .sort(),
    ).toEqual(['evt_0', 'evt_1', 'evt_2']);
    // Failed again on the second call: lost, and said so; a third call is never made.
    emulator.requests = 0;
    queue.clear();
    emulator.failEntriesNext('InternalError', 3);
    expect(await webhooks.sendBatch([webhookEvent(0), webhookEvent(1)])).toEqual([false, true]);
    expect(emulator.requests).toBe(2);
    expect(queue.list()).toHaveLength(1);
  });

  it('loses only the events of a call that failed as a whole, not those another call queued', async () => {
    const webhooks = new SqsWebhookQueue(sdk(1), queue.url);
    emulator.failNext('ServiceUnavailable');
    const queued = await webhooks.sendBatch(Array.from({ length: 20 }, (_, i) => webhookEvent(i)));
    expect(queued.filter(Boolean)).toHaveLength(10);
    expect(queue.list()).toHaveLength(10);
    // Every call failed: the queue is unavailable, as for a single call.
    emulator.failNext('ServiceUnavailable', 2);
    await expect(webhooks.sendBatch(Array.from({ length: 20 }, (_, i) => webhookEvent(i)))).rejects.toThrow('the webhooks queue is unavailable');
  });

  it('lets the SDK retry a service fault, so a blip costs nothing', async () => {
    emulator.failNext('ServiceUnavailable', 2);
    await send('kept');
    expect(emulator.requests).toBe(3);
    expect(queue.list().map((m) => m.body)).toEqual(['kept']);
  });
});
