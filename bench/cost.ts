/**
 * What a notice costs on AWS, from what the code does rather than from guesses: a firm's tasks
 * go through their whole life on a fresh local stack (created, two e-mail notices each sent by
 * the Scheduler -> queue -> dispatch chain, an SES delivery event for each, the reconciler every
 * 15 minutes as deployed, the task marked done), and every AWS call, DynamoDB capacity unit
 * (bench/capacity-meter.ts), stored byte, filed document and log line is counted. `priceTable`
 * turns the counts per notice into dollars per million notices.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { createReconcilerHandler } from '../functions/reconciler/app.ts';
import { createSesEventsHandler } from '../functions/ses-events/app.ts';
import { startLocalStack, type LocalStack } from '../local/local-stack.ts';
import { benchFirm } from './bench-firm.ts';
import { TABLE } from '../shared/adapters/table-layout.ts';
import type { AwsCall } from '../shared/adapters/call-observer.ts';
import { createTask, setTaskStatus } from '../shared/use-cases/tasks.ts';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/local-dynamodb.ts';
import { CapacityMeter, itemSize, kindOf, projected } from './capacity-meter.ts';

const TENANT = 'bench-cost';
const RECONCILE_EVERY_MINUTES = 15;
const NOTICES_PER_TASK = 2;
/**
 * The notices' texts: a firm's own words, of the length of a real reminder. Not one sentence
 * repeated, which compresses to almost nothing and would flatter the task item's packed
 * notices (shared/adapters/dynamodb-packed-notices.ts).
 */
const WEEK_BEFORE = `Hei {{customer.name}}!

Fristen for {{task.title}} nærmer seg, og vi trenger bilagene dine for å rekke den. Send oss kvitteringer, fakturaer og kontoutskrifter for perioden så snart du kan, gjerne samlet i én e-post eller lastet opp i portalen. Har du hatt salg eller kjøp fra utlandet, eller kjøpt driftsmidler over 50 000 kroner, ber vi deg nevne det særskilt. Mangler noe, blir det ført etter beste skjønn, og da kan det bli rettelser senere. Er det endringer i bankkonti, ansatte eller virksomheten som vi bør vite om, så gi beskjed. Ta kontakt på telefon eller svar på denne e-posten hvis du har spørsmål. Vi setter pris på at du er tidlig ute, det gjør arbeidet enklere for oss begge.

Med vennlig hilsen
Tall og Tid Regnskap AS`;
const DAY_BEFORE = `Hei {{customer.name}}!

I morgen er siste frist for {{task.title}}. Vi har ennå ikke fått alt vi trenger fra deg. Dersom bilagene ikke er oss i hende innen kl. 12, kan vi ikke garantere at meldingen blir levert i tide, og Skatteetaten kan ilegge tvangsmulkt eller forsinkelsesgebyr. Send det du har nå, også om noe mangler: vi ringer deg om resten. Gjelder det bare enkelte bilag, kan du også ta bilde av dem med mobilen og sende dem som vedlegg. Har du allerede sendt alt, kan du se bort fra denne påminnelsen, og takk for hjelpen.

Med vennlig hilsen
Tall og Tid Regnskap AS`;
/** The reconciler's query of the due index, as the capacity meter names it. */
const DUE_QUERY = 'query gsi10';
/** As deployed (shared/config.ts defaults, cdk/frist-stack.ts). */
const RECONCILE = { horizonHours: 3, graceMinutes: 15 };

export interface CostCounts {
  tasks: number;
  notices: number;
  /** AWS SDK calls per notice, by `function service command`. */
  callsPerNotice: Record<string, number>;
  /** Events per notice put on the webhooks queue (dispatch's `sent`, the SES event's `delivered`): each is received, handed to the webhooks function and deleted. */
  webhookEventsPerNotice: number;
  /** Milliseconds of each function per notice here (dispatch: in batches of 10, with the webhooks function's; reconciler: above its idle runs). */
  msPerNotice: Record<string, number>;
  /** Reconciler runs in the scenario (every 15 minutes of its two weeks). */
  reconcilerRuns: number;
  /** One reconciler run with nothing due: what every run costs, sent or not. */
  reconcilerIdleRun: { ms: number; calls: Record<string, number>; rru: number; wru: number; logBytes: number };
  wruPerNotice: Record<string, number>;
  /**
   * Read units per notice. The due index's line (`query gsi10`) is the bytes of the task's
   * entries that the reconciler's runs read, at 4 KB a half unit: each run's queries cost a
   * minimum that the idle runs pay already (reconcilerIdleRun), and a deployment's many tasks
   * share it; with the bench's 20 tasks the entries fit inside it, and the rounded units say 0.
   */
  rruPerNotice: Record<string, number>;
  /** Table and index bytes per notice after the task is done (the items a task leaves, with DynamoDB's 100 bytes of overhead per item and index entry). */
  storedBytesPerNotice: Record<string, number>;
  s3BytesPerNotice: number;
  s3PutsPerNotice: number;
  sesBytesPerNotice: number;
  logBytesPerNotice: number;
  /** Distinct metrics (name and dimension values) the scenario counted. */
  metrics: string[];
}

/** Runs the scenario for `taskCount` tasks (two notices each) and counts. */
export async function countCosts(taskCount = 40): Promise<CostCounts> {
  let now = new Date('2030-01-07T07:00:00Z');
  const clock = { now: () => new Date(now) };
  const meter = new CapacityMeter('eu-north-1');
  const calls = new Map<string, number>();
  let s3Bytes = 0;
  let s3Puts = 0;
  let sesBytes = 0;
  let webhookEvents = 0;
  const record = (fn: string, call: AwsCall) => {
    const key = `${fn} ${call.service.replace(/Client$/, '')} ${call.command.replace(/Command$/, '')}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (call.command === 'PutObjectCommand') {
      s3Puts += 1;
      s3Bytes += byteLength(call.input.Body);
    }
    // Every SQS message the functions send is a webhook event (the Scheduler sends dispatch's).
    if (call.command === 'SendMessageCommand') webhookEvents += 1;
    if (call.command === 'SendMessageBatchCommand') webhookEvents += (call.input.Entries as unknown[]).length;
    if (call.command === 'SendEmailCommand') sesBytes += byteLength((call.input.Content as { Raw?: { Data?: unknown } }).Raw?.Data);
  };
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-cost-'));
  let directDb = '';
  const stack: LocalStack = await startLocalStack({
    clock,
    dataDir,
    env: { LOG_LEVEL: 'INFO' },
    recordAwsCalls: record,
    frontDynamoDb: (endpoint) => ((directDb = endpoint), meter.start(endpoint)),
  });
  const logs = captureStdout();
  try {
    const { ports } = stack;
    const customers = await benchFirm(ports, TENANT, 20, { timeZone: 'Europe/Oslo' });
    const reconciler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, RECONCILE);
    const reconcile = () => reconciler({}, {} as never);
    const reset = () => (meter.reset(), calls.clear(), stack.metrics.clear(), logs.reset(), (webhookEvents = 0));

    // What a reconciler run costs with nothing due: paid every 15 minutes whatever is sent.
    // Warmed up first: the busy runs below are timed warm, and a cold idle figure subtracted
    // from them would make the notices' share negative.
    for (let i = 0; i < 20; i += 1) await reconcile();
    reset();
    const idleRuns = 40;
    const idleStart = performance.now();
    for (let i = 0; i < idleRuns; i += 1) await reconcile();
    const idle = { ms: (performance.now() - idleStart) / idleRuns, ...snapshot(calls, meter, logs, idleRuns) };

    // The firm and its customers exist before; what is counted is the tasks' lives.
    reset();
    const ms = { api: 0, dispatch: 0, reconciler: 0, 'ses-events': 0 };
    const timed = async <T>(fn: keyof typeof ms, work: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      try {
        return await work();
      } finally {
        ms[fn] += performance.now() - start;
      }
    };

    const deadline = '2030-01-18T12:00:00Z';
    const tasks = [];
    for (let i = 0; i < taskCount; i += 1) {
      tasks.push(
        await timed('api', () =>
          createTask(ports, TENANT, {
            title: `MVA-melding ${i}`,
            customerId: customers[i % customers.length]!.id,
            deadline,
            notices: [
              {
                when: 'before',
                offset: 'P7D',
                channels: ['email'],
                subject: 'Frist om en uke: {{task.title}}',
                message: WEEK_BEFORE,
              },
              {
                when: 'before',
                offset: 'P1D',
                channels: ['email'],
                subject: 'Frist i morgen: {{task.title}}',
                message: DAY_BEFORE,
              },
            ],
          }),
        ),
      );
    }

    let reconcilerRuns = 0;
    const end = new Date(deadline).getTime() + 3_600_000;
    while (now.getTime() < end) {
      now = new Date(now.getTime() + RECONCILE_EVERY_MINUTES * 60_000);
      await timed('dispatch', () => stack.runDue());
      await timed('reconciler', reconcile);
      reconcilerRuns += 1;
    }

    // SES reports each delivery by SNS, one record an invocation.
    const sesEvents = createSesEventsHandler(stack.sesEventsPorts, stack.telemetry['ses-events']);
    let emails = 0;
    for (const task of tasks) {
      for (const delivery of await ports.store.listDeliveries(TENANT, task.id)) {
        if (delivery.state !== 'sent') continue;
        emails += 1;
        const message = {
          eventType: 'Delivery',
          mail: { messageId: delivery.id, tags: { tenantId: [TENANT], customerId: [task.customerId], deliveryId: [delivery.id] } },
        };
        await timed('ses-events', () =>
          sesEvents({ Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: JSON.stringify(message) } }] }, {} as never),
        );
      }
    }
    // The webhooks function takes the delivery events off its queue (the firm has no endpoints: it reads that, and is done).
    await timed('dispatch', () => stack.runDue());
    for (const task of tasks) await timed('api', () => setTaskStatus(ports, TENANT, task.id, 'completed'));

    const notices = taskCount * NOTICES_PER_TASK;
    if (emails !== notices) throw new Error(`${emails} of ${notices} notices were sent`);
    // The reconciler's idle cost is counted per run (fixed per month); the rest is the notices'.
    const busy = snapshot(calls, meter, logs, 1);
    const per = (tally: Map<string, number>, idleTally: Map<string, number>) =>
      Object.fromEntries(
        [...tally]
          .map(([k, v]) => [k, (v - reconcilerRuns * (idleTally.get(k) ?? 0)) / notices] as const)
          .filter(([, v]) => v > 1e-9)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const rruPerNotice = per(busy.reads, idle.reads);
    const dueIndexBytes = (busy.readBytes.get(DUE_QUERY) ?? 0) - reconcilerRuns * (idle.readBytes.get(DUE_QUERY) ?? 0);
    rruPerNotice[DUE_QUERY] = ((dueIndexBytes / 4096) * 0.5) / notices;
    const metrics = [...new Set(stack.metrics.all.map((m) => `${m.fn} ${m.name} ${JSON.stringify(m.dimensions)}`))].sort();
    return {
      tasks: taskCount,
      notices,
      callsPerNotice: per(busy.calls, idle.calls),
      webhookEventsPerNotice: webhookEvents / notices,
      msPerNotice: {
        api: ms.api / notices,
        dispatch: ms.dispatch / notices,
        'ses-events': ms['ses-events'] / notices,
        reconciler: Math.max(0, ms.reconciler - reconcilerRuns * idle.ms) / notices,
      },
      reconcilerRuns,
      reconcilerIdleRun: { ms: idle.ms, calls: Object.fromEntries(idle.calls), rru: sum(idle.reads), wru: sum(idle.writes), logBytes: idle.logBytes },
      wruPerNotice: per(busy.writes, idle.writes),
      rruPerNotice,
      storedBytesPerNotice: Object.fromEntries(Object.entries(await storedBytes(directDb, stack.config.TABLE_NAME)).map(([k, v]) => [k, v / notices])),
      s3BytesPerNotice: s3Bytes / notices,
      s3PutsPerNotice: s3Puts / notices,
      sesBytesPerNotice: sesBytes / notices,
      logBytesPerNotice: (busy.logBytes - reconcilerRuns * idle.logBytes) / notices,
      metrics,
    };
  } finally {
    logs.restore();
    await stack.stop();
    await meter.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** What was counted since the last reset, divided by `runs`. */
function snapshot(calls: Map<string, number>, meter: CapacityMeter, logs: { bytes: number }, runs: number) {
  const divided = (tally: Map<string, number>) => new Map([...tally].map(([k, v]) => [k, v / runs]));
  return {
    calls: divided(calls),
    reads: divided(meter.reads),
    readBytes: divided(meter.readBytes),
    writes: divided(meter.writes),
    logBytes: logs.bytes / runs,
  };
}

function sum(tally: Map<string, number>): number {
  return [...tally.values()].reduce((a, b) => a + b, 0);
}

function byteLength(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

/** The bytes of the firm's task-related items, on the table and in each index, with 100 bytes of overhead per item and entry. */
async function storedBytes(endpoint: string, table: string): Promise<Record<string, number>> {
  const db = new DynamoDBClient({ endpoint, region: 'eu-north-1', credentials: LOCAL_CREDENTIALS });
  const bytes: Record<string, number> = {};
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const kind = kindOf(item);
      if (kind === 'customer' || kind === 'settings') continue;
      bytes[`${kind} table`] = (bytes[`${kind} table`] ?? 0) + itemSize(item) + 100;
      for (const index of Object.values(TABLE.indexes)) {
        const entry = projected(index, item);
        if (entry) bytes[`${kind} ${index.name}`] = (bytes[`${kind} ${index.name}`] ?? 0) + itemSize(entry) + 100;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  db.destroy();
  return bytes;
}

/** Counts what the functions log (Powertools writes JSON lines to stdout) and keeps it off the console. */
function captureStdout() {
  const write = process.stdout.write.bind(process.stdout);
  const capture = {
    bytes: 0,
    reset: () => void (capture.bytes = 0),
    restore: () => void (process.stdout.write = write),
  };
  const count = (chunk: string | Uint8Array) => {
    capture.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  };
  process.stdout.write = count;
  return capture;
}

/**
 * List prices, us-east-1, checked on the AWS price pages on 2026-11-30 (eu-north-1 is within a
 * few per cent). Free tiers that last (Scheduler's 14 million invocations, SQS's first
 * million requests) are left out: the figures are for a deployment past them.
 */
export const PRICES = {
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  dynamoPerGbMonth: 0.25,
  schedulerPerMillionInvocations: 1.0,
  sqsPerMillionRequests: 0.4,
  s3PerThousandPuts: 0.005,
  s3PerGbMonth: 0.023,
  sesPerThousand: 0.1,
  apiPerMillionRequests: 1.0,
  logsPerGbIngested: 0.5,
  logsPerGbMonthStored: 0.03,
  metricPerMonth: 0.3,
  alarmPerMonth: 0.1,
  kmsKeyPerMonth: 1.0,
  snsPerMillionPublishes: 0.5,
};

/** Memory of each function as deployed (cdk/), GB. */
const MEMORY_GB: Record<string, number> = { api: 0.5, dispatch: 0.5, 'ses-events': 0.25, reconciler: 0.5 };
/**
 * Lambda at 512 MB gets about a third of a vCPU; this machine's figures are for whole cores.
 * Billed time is taken as three times the time measured here: an upper bound for code that
 * mostly waits on I/O.
 */
const LAMBDA_SLOWER = 3;
/**
 * How the notices reach the queues' event source mappings, which receive up to 10 messages a
 * request, invoke the function once with them and delete them in one request (the batch size
 * is 10, cdk/frist-stack.ts): spread over the day, each notice comes alone and pays a receive,
 * an invocation and a delete of its own; at the 09:00 burst the queue holds many, and they go
 * in tens. The bench's notices fall due together, so its dispatch ran in batches of 10: its
 * calls and time per notice are the burst's (spread, dispatch would also read a customer and
 * the settings for each notice, not for each batch).
 */
export type Shape = 'burst' | 'spread';
const NOTICES_PER_BATCH: Record<Shape, number> = { burst: 10, spread: 1 };

/**
 * SQS requests and Lambda invocations per notice. The dispatch queue: the Scheduler's send, the
 * mapping's receive and delete. The webhooks queue (every event goes there, webhooks or not):
 * dispatch's send of its batch's events (one request an invocation), the SES event function's
 * send, and the mapping's receive and delete of each event. Invocations: the api's two per
 * task (create, complete), dispatch and webhooks per batch, ses-events once per SES event.
 */
export function requestsPerNotice(c: CostCounts, shape: Shape): { sqs: number; invocations: number } {
  const batch = 1 / NOTICES_PER_BATCH[shape];
  const events = c.webhookEventsPerNotice;
  return {
    sqs: 1 + 2 * batch + batch + 1 + 2 * events * batch,
    invocations: 1 + batch + 1 + events * batch,
  };
}
const GB = 1024 ** 3;

export interface CostRow {
  service: string;
  /** What was counted per notice, in words. */
  basis: string;
  perMillion: number;
  /** Paid per notice whatever the code does: a call the design makes once per notice (the e-mail, its filed copy, its schedule, its message, ...). */
  floor?: boolean;
}

/** Dollars per million notices, from the counts, and the fixed monthly part. */
export function priceCosts(
  c: CostCounts,
  shape: Shape = 'burst',
  reconcilerRunsPerMonth = 2880,
): { rows: CostRow[]; total: number; fixedPerMonth: number; fixedRows: CostRow[] } {
  const M = 1_000_000;
  const sumOf = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const wru = sumOf(c.wruPerNotice);
  const rru = sumOf(c.rruPerNotice);
  const stored = sumOf(c.storedBytesPerNotice);
  const { sqs, invocations } = requestsPerNotice(c, shape);
  const gbSeconds = Object.entries(c.msPerNotice).reduce((s, [fn, ms]) => s + ((ms * LAMBDA_SLOWER) / 1000) * (MEMORY_GB[fn] ?? 0.5), 0);
  // The api's two requests of a task (create, complete), shared by its two notices.
  const apiRequests = 1;
  const rows: CostRow[] = [
    { service: 'SES', basis: '1 e-mail', perMillion: (M / 1000) * PRICES.sesPerThousand, floor: true },
    { service: 'EventBridge Scheduler', basis: '1 invocation', perMillion: PRICES.schedulerPerMillionInvocations, floor: true },
    { service: 'SQS', basis: `${sqs.toFixed(2)} requests`, perMillion: sqs * PRICES.sqsPerMillionRequests, floor: true },
    { service: 'SNS', basis: '1 publish (the SES delivery event)', perMillion: PRICES.snsPerMillionPublishes, floor: true },
    { service: 'Lambda requests', basis: `${invocations.toFixed(2)} invocations`, perMillion: invocations * PRICES.lambdaPerMillionRequests, floor: true },
    {
      service: 'Lambda compute (arm64)',
      basis: `${((gbSeconds * 1000) / 1).toFixed(0)} GB-ms (${LAMBDA_SLOWER}x the time measured here)`,
      perMillion: gbSeconds * M * PRICES.lambdaArmPerGbSecond,
    },
    { service: 'DynamoDB writes', basis: `${wru.toFixed(1)} WRU (table and index copies)`, perMillion: wru * PRICES.dynamoPerMillionWru },
    { service: 'DynamoDB reads', basis: `${rru.toFixed(1)} RRU`, perMillion: rru * PRICES.dynamoPerMillionRru },
    { service: 'DynamoDB storage', basis: `${(stored / 1024).toFixed(1)} KB kept, one month`, perMillion: ((stored * M) / GB) * PRICES.dynamoPerGbMonth },
    { service: 'S3 PUT', basis: `${c.s3PutsPerNotice.toFixed(2)} PUT`, perMillion: ((c.s3PutsPerNotice * M) / 1000) * PRICES.s3PerThousandPuts, floor: true },
    {
      service: 'S3 storage',
      basis: `${(c.s3BytesPerNotice / 1024).toFixed(1)} KB, one month, Standard`,
      perMillion: ((c.s3BytesPerNotice * M) / GB) * PRICES.s3PerGbMonth,
    },
    { service: 'API Gateway (HTTP API)', basis: `${apiRequests.toFixed(2)} requests`, perMillion: apiRequests * PRICES.apiPerMillionRequests, floor: true },
    {
      service: 'CloudWatch Logs',
      basis: `${(c.logBytesPerNotice / 1024).toFixed(1)} KB ingested and kept a month`,
      perMillion: ((c.logBytesPerNotice * M) / GB) * (PRICES.logsPerGbIngested + PRICES.logsPerGbMonthStored),
    },
  ];
  const idle = c.reconcilerIdleRun;
  const fixedRows: CostRow[] = [
    {
      service: 'reconciler runs with nothing due',
      basis: `${reconcilerRunsPerMonth} runs: ${idle.rru.toFixed(1)} RRU, ${(idle.logBytes / 1024).toFixed(1)} KB of log, ${idle.ms.toFixed(0)} ms each`,
      perMillion:
        reconcilerRunsPerMonth *
        ((idle.rru * PRICES.dynamoPerMillionRru) / M +
          PRICES.lambdaPerMillionRequests / M +
          ((idle.ms * LAMBDA_SLOWER) / 1000) * MEMORY_GB.reconciler! * PRICES.lambdaArmPerGbSecond +
          (idle.logBytes / GB) * PRICES.logsPerGbIngested),
    },
    { service: 'CloudWatch metrics', basis: 'about 20 (name and dimension values)', perMillion: 20 * PRICES.metricPerMonth },
    { service: 'CloudWatch alarms', basis: '5', perMillion: 5 * PRICES.alarmPerMonth },
    { service: 'KMS key (SES events topic)', basis: '1', perMillion: PRICES.kmsKeyPerMonth },
  ];
  const total = rows.reduce((s, r) => s + r.perMillion, 0);
  return { rows, total, fixedRows, fixedPerMonth: fixedRows.reduce((s, r) => s + r.perMillion, 0) };
}

/** What the design pays per notice whatever the code does, against the goal, and what is left above it. */
function floorLine(rows: CostRow[], ses: number): string {
  const floor = rows.filter((r) => r.floor && r.service !== 'SES');
  const floorTotal = floor.reduce((s, r) => s + r.perMillion, 0);
  const rest = rows.filter((r) => !r.floor).sort((a, b) => b.perMillion - a.perMillion);
  const money = (r: CostRow) => `${r.service} $${r.perMillion.toFixed(2)}`;
  // A send that is never made twice and never lost writes a claim before it and a record after it: one write unit each, at least.
  const claimAndRecord = 2 * PRICES.dynamoPerMillionWru;
  return (
    `Of that, $${floorTotal.toFixed(2)} is the floor of the design, one call per notice that no code change removes (${floor.map(money).join(', ')}): ${((floorTotal / (ses / 10)) * 100).toFixed(0)} % of the goal before anything else; the rest, $${rest.reduce((s, r) => s + r.perMillion, 0).toFixed(2)}, is ${rest.map(money).join(', ')}. ` +
    `With the two writes every send needs (its claim before SES, its sent record after, one write unit each: $${claimAndRecord.toFixed(2)}), the least any design can cost around SES is $${(floorTotal + claimAndRecord).toFixed(2)}, above the goal's $${(ses / 10).toFixed(2)} before a millisecond of Lambda compute, a task written or a line logged: the goal cannot be met while a notice is filed in S3 and sent at most once.`
  );
}

/** The cost section of docs/benchmarks.md, with the counts behind it: the 09:00 burst's figures, and the same spread over the day beside them. */
export function costMarkdown(c: CostCounts): string {
  const burst = priceCosts(c, 'burst');
  const spread = priceCosts(c, 'spread');
  const { rows, total, fixedRows, fixedPerMonth } = burst;
  const ses = rows.find((r) => r.service === 'SES')!.perMillion;
  const around = total - ses;
  const spreadAround = spread.total - ses;
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
  const requests = { burst: requestsPerNotice(c, 'burst'), spread: requestsPerNotice(c, 'spread') };
  return [
    `Counted on the local stack (\`countCosts(${c.tasks})\`): ${c.tasks} tasks with two e-mail notices each, created, both notices sent through the Scheduler, the dispatch queue and dispatch, an SES delivery event for each, the webhooks function taking each notice's events, the reconciler every 15 minutes as deployed (${c.reconcilerRuns} runs), the task marked done. Per notice, at the 09:00 burst (the event source mappings receive, invoke and delete in tens), and spread over the day (each notice alone):`,
    '',
    '| service | per notice (burst) | $ per million notices, burst | $ per million, spread |',
    '|---|---|---|---|',
    ...rows.map(
      (r, i) =>
        `| ${r.service} | ${r.basis} | ${r.perMillion.toFixed(2)} | ${spread.rows[i]!.perMillion.toFixed(2)}${spread.rows[i]!.basis === r.basis ? '' : ` (${spread.rows[i]!.basis})`} |`,
    ),
    `| **total** | | **${total.toFixed(2)}** | **${spread.total.toFixed(2)}** |`,
    '',
    `Around SES: **$${around.toFixed(2)} per million notices at the burst, ${((around / ses) * 100).toFixed(0)} % of SES's $${ses.toFixed(0)}; $${spreadAround.toFixed(2)} spread over the day** (goal: at most 10 %, $${(ses / 10).toFixed(0)}). ${floorLine(rows, ses)} Fixed per month, whatever is sent: $${fixedPerMonth.toFixed(2)} (${fixedRows.map((r) => `${r.service}: ${r.basis}, $${r.perMillion.toFixed(2)}`).join('; ')}).`,
    '',
    `- SQS requests per notice: ${requests.burst.sqs.toFixed(2)} at the burst, ${requests.spread.sqs.toFixed(2)} spread: the Scheduler's send to the dispatch queue (1), the mapping's receive and delete (2 a batch), dispatch's send of its batch's events to the webhooks queue (1 a batch), the SES event function's send (1), and the webhooks mapping's receive and delete of the ${c.webhookEventsPerNotice.toFixed(2)} events per notice (2 a batch). Lambda invocations: ${requests.burst.invocations.toFixed(2)} and ${requests.spread.invocations.toFixed(2)} (the api's two per task, dispatch and webhooks per batch, ses-events per SES event).`,
    `- AWS calls per notice: ${list(c.callsPerNotice)}.`,
    `- DynamoDB write units per notice, by item and table or index: ${list(c.wruPerNotice)}.`,
    `- DynamoDB read units per notice (a BatchGetItem counted per item, by its kind; \`query gsi10\`: the bytes of the task's due-index entries that the reconciler's runs read, above the minimum each run's queries pay, which is in the fixed part): ${list(c.rruPerNotice)}.`,
    `- Bytes kept in DynamoDB per notice after the task is done (100 bytes of overhead per item and index entry): ${list(c.storedBytesPerNotice)}.`,
    `- Milliseconds of each function per notice here: ${list(c.msPerNotice)} (dispatch's in batches of 10, with the webhooks function's; the reconciler's above what its runs take with nothing due, 0 when within their noise); log bytes per notice: ${c.logBytesPerNotice.toFixed(0)}; a filed copy ${(c.s3BytesPerNotice / 1024).toFixed(1)} KB.`,
    "- S3 lifecycle rules do not move objects under 128 KB to Standard-IA (AWS's default since September 2024), so the filed copies (a few KB) stay in Standard.",
  ].join('\n');
}
