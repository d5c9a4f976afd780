/**
 * Dispatch beside its floor, in one process and one local stack (issue 12): the same number
 * of notices through the bare SDK calls and through the dispatch Lambda's handler, taking
 * turns round by round at each concurrency, so a change in the machine's load hits both.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createDispatchHandler } from '../functions/dispatch/app.ts';
import { S3RVER_CREDENTIALS } from '../local/local-aws-services.ts';
import { lambdaContext } from '../local/lambda-context.ts';
import { LOCAL_CREDENTIALS } from '../local/local-dynamodb.ts';
import type { LocalStack } from '../local/local-stack.ts';
import { buildMime } from '../shared/adapters/mime-message.ts';
import { keys } from '../shared/adapters/table-layout.ts';
import { DISPATCH_QUEUE } from '../shared/dispatch-queue.ts';
import type { DispatchEvent } from '../shared/ports.ts';
import { percentile } from './http-calls.ts';

/** One notice's work, for the `i`-th notice of a run. */
export type NoticeRun = (i: number) => Promise<void>;

export interface SideResult {
  notices: number;
  medianMs: number;
  p99Ms: number;
  perSecond: number;
}

export interface LevelResult {
  concurrency: number;
  floor: SideResult;
  dispatch: SideResult;
}

/**
 * The floor: the unavoidable I/O of one e-mail notice with clients created once. GetItem of
 * the task (consistent, as dispatch reads), a conditional PutItem (the claim), SES SendEmail
 * of the raw message with its tags, S3 PutObject of the same bytes, UpdateItem (sent).
 * The task read is a real one: notice `i` reads the stored task of `taskOf(i)`, an item of the
 * same kind and size as dispatch reads, so the floor pays for unmarshalling what it reads. The
 * claim and the sent record stay minimal items: the floor is the bare calls, not a delivery.
 * Returns the run and the size of its message.
 */
export async function floorRun(config: LocalStack['config'], taskOf: (i: number) => DispatchEvent): Promise<{ run: NoticeRun; size: number }> {
  const region = config.AWS_REGION;
  const db = new DynamoDBClient({ region, endpoint: config.DYNAMODB_ENDPOINT, credentials: LOCAL_CREDENTIALS });
  const ses = new SESv2Client({ region, endpoint: config.SES_ENDPOINT, credentials: LOCAL_CREDENTIALS });
  const s3 = new S3Client({ region, endpoint: config.S3_ENDPOINT, credentials: S3RVER_CREDENTIALS, forcePathStyle: true });
  const raw = buildMime({
    from: { address: 'varsel@tallogtid.example' },
    to: { address: 'kunde@example.no' },
    subject: 'Påminnelse',
    text: 'x'.repeat(1200),
    html: `<p>${'x'.repeat(1200)}</p>`,
    messageId: '<floor@frist>',
    date: new Date(),
  });
  const table = config.TABLE_NAME;
  const run: NoticeRun = async (i) => {
    const key = { pk: { S: 'T#floor' }, sk: { S: `D#${i}` } };
    const { tenantId, taskId } = taskOf(i);
    const task = await db.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: keys.tenant(tenantId) }, sk: { S: keys.task(taskId) } }, ConsistentRead: true }),
    );
    // A floor that reads nothing would be kinder than any dispatch.
    if (!task.Item) throw new Error(`the floor found no task ${taskId}`);
    await db.send(new PutItemCommand({ TableName: table, Item: { ...key, state: { S: 'claimed' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'varsel@tallogtid.example',
        Destination: { ToAddresses: ['kunde@example.no'] },
        Content: { Raw: { Data: raw } },
        EmailTags: [{ Name: 'deliveryId', Value: `D${i}` }],
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: config.DOCUMENT_BUCKET, Key: `floor/${i}.eml`, Body: raw, ContentType: 'message/rfc822' }));
    await db.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET #s = :sent',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':sent': { S: 'sent' } },
      }),
    );
  };
  return { run, size: raw.length };
}

/**
 * Dispatch as the Lambda runs it: the dispatch function's handler (middy, its logger and
 * metrics, the message parsed, the notice sent, the webhook event queued) with an SQS event
 * of one message per notice, the worst case for anything read once per batch.
 */
export function dispatchRun(stack: LocalStack, events: DispatchEvent[]): NoticeRun {
  const handler = createDispatchHandler(stack.sendingPorts, stack.telemetry.dispatch);
  return async (i) => {
    const result = await handler(sqsEvent([events[i]!]), invocation());
    if (result.batchItemFailures.length) await noteNotDone(stack, [events[i]!]);
  };
}

/**
 * The notices dispatch reported for a retry (on AWS they would come back from the queue),
 * each by what its delivery record says; counted and reported with the figures rather than
 * ending the run, since a loaded machine makes some call time out now and then.
 */
export const notDone: string[] = [];

async function noteNotDone(stack: LocalStack, events: DispatchEvent[]): Promise<void> {
  for (const event of events) {
    const records = await stack.ports.store.listDeliveries(event.tenantId, event.taskId);
    const record = records.find((r) => r.noticeId === event.noticeId);
    if (record?.state !== 'sent') notDone.push(record ? `${record.state} ${record.code ?? record.reason ?? ''}`.trim() : 'no record');
  }
}

/**
 * Dispatch as deployed: SQS events of `size` messages (the event source mapping's batch
 * size); run `i` hands the handler the messages `i * size` to `(i + 1) * size - 1` in one event.
 */
export function dispatchBatchRun(stack: LocalStack, events: DispatchEvent[], size: number): NoticeRun {
  const handler = createDispatchHandler(stack.sendingPorts, stack.telemetry.dispatch);
  return async (i) => {
    const batch = events.slice(i * size, (i + 1) * size);
    const result = await handler(sqsEvent(batch), invocation());
    if (result.batchItemFailures.length) await noteNotDone(stack, batch);
  };
}

/** The floor doing an event's `size` notices side by side, as one invocation would; its notices numbered from `base`. */
export function floorBatchRun(run: NoticeRun, size: number, base: number): NoticeRun {
  return async (i) => {
    await Promise.all(Array.from({ length: size }, (_, k) => run(base + i * size + k)));
  };
}

/** Figures of runs of `size` notices each, per notice: the counts and throughput in notices, the times per run. */
export function perNotice(levels: LevelResult[], size: number): LevelResult[] {
  const scale = (side: SideResult): SideResult => ({ ...side, notices: side.notices * size, perSecond: side.perSecond * size });
  return levels.map((level) => ({ ...level, floor: scale(level.floor), dispatch: scale(level.dispatch) }));
}

/** An SQS event as the event source mapping hands it to the function. */
export function sqsEvent(events: DispatchEvent[]): SQSEvent {
  return {
    Records: events.map(
      (event, i) =>
        ({
          messageId: `m-${event.taskId}-${i}`,
          receiptHandle: `r-${event.taskId}`,
          body: JSON.stringify(event),
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', ApproximateFirstReceiveTimestamp: '0' },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-north-1:000000000000:frist-dispatch-local',
          awsRegion: 'eu-north-1',
        }) as unknown as SQSRecord,
    ),
  };
}

/** Runs notices `from` to `to` (exclusive), `concurrency` at a time; each one's latency and the elapsed time. */
async function runSlice(run: NoticeRun, from: number, to: number, concurrency: number): Promise<{ samples: number[]; ms: number }> {
  const samples: number[] = [];
  let next = from;
  const started = performance.now();
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const start = performance.now();
      await run(i);
      samples.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, ms: performance.now() - started };
}

/**
 * `notices` through each side at each concurrency, in `rounds` turns: floor then dispatch,
 * dispatch then floor, and so on. `between` runs after every slice (the SES stand-in's store
 * is cleared, as it keeps every message). Dispatch's notices are numbered on from `offset`
 * of its events at each level, the floor's likewise.
 */
export async function sideBySide(
  sides: { floor: NoticeRun; dispatch: NoticeRun },
  levels: number[],
  notices: number,
  between: () => Promise<void>,
  rounds = 4,
): Promise<LevelResult[]> {
  const results: LevelResult[] = [];
  let offset = 0;
  for (const concurrency of levels) {
    const taken = { floor: { samples: [] as number[], ms: 0 }, dispatch: { samples: [] as number[], ms: 0 } };
    const per = Math.ceil(notices / rounds);
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 ? (['dispatch', 'floor'] as const) : (['floor', 'dispatch'] as const);
      const from = offset + round * per;
      const to = offset + Math.min(notices, (round + 1) * per);
      for (const side of order) {
        const slice = await runSlice(sides[side], from, to, concurrency);
        taken[side].samples.push(...slice.samples);
        taken[side].ms += slice.ms;
        await between();
      }
    }
    offset += notices;
    results.push({ concurrency, floor: summary(taken.floor), dispatch: summary(taken.dispatch) });
  }
  return results;
}

function summary({ samples, ms }: { samples: number[]; ms: number }): SideResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return { notices: samples.length, medianMs: percentile(sorted, 50), p99Ms: percentile(sorted, 99), perSecond: samples.length / (ms / 1000) };
}

/** The table of the levels: each side's figures and dispatch's ratios to the floor. */
export function sideBySideTable(levels: LevelResult[], unit: { run: string; plural: string } = { run: 'notice', plural: 'notices' }): string {
  const rows = levels.map(({ concurrency, floor, dispatch }) =>
    [
      concurrency === 1 ? `one ${unit.run} after another` : `${concurrency} ${unit.plural} at a time`,
      `${floor.notices}`,
      `${floor.medianMs.toFixed(2)} / ${dispatch.medianMs.toFixed(2)}`,
      `${floor.p99Ms.toFixed(1)} / ${dispatch.p99Ms.toFixed(1)}`,
      `${floor.perSecond.toFixed(0)} / ${dispatch.perSecond.toFixed(0)}`,
      `**${(dispatch.medianMs / floor.medianMs).toFixed(2)}**`,
      `**${(dispatch.perSecond / floor.perSecond).toFixed(2)}**`,
    ].join(' | '),
  );
  return [
    `| run | notices each | median ms per ${unit.run}, floor / dispatch | p99 ms, floor / dispatch | notices/s, floor / dispatch | dispatch time ÷ floor (goal ≤ 1.2) | dispatch throughput ÷ floor (goal ≥ 0.8) |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** A dispatch invocation's context: its remaining time counts down from the function's timeout, as on Lambda. */
function invocation() {
  return lambdaContext('dispatch', randomUUID(), DISPATCH_QUEUE.functionTimeoutSeconds * 1000);
}
