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
/** As deployed (shared/config.ts defaults, cdk/frist-stack.ts). */
const RECONCILE = { horizonHours: 3, graceMinutes: 15 };

export interface CostCounts {
  tasks: number;
  notices: number;
  /** AWS SDK calls per notice, by `function service command`. */
  callsPerNotice: Record<string, number>;
  /** Invocations per notice, by function (dispatch: one per notice, the worst case of no batching). */
  invocationsPerNotice: Record<string, number>;
  /** Milliseconds per invocation here (reconciler: per notice, above its idle runs). */
  msPerInvocation: Record<string, number>;
  /** Reconciler runs in the scenario (every 15 minutes of its two weeks). */
  reconcilerRuns: number;
  /** One reconciler run with nothing due: what every run costs, sent or not. */
  reconcilerIdleRun: { ms: number; calls: Record<string, number>; rru: number; wru: number; logBytes: number };
  wruPerNotice: Record<string, number>;
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
  const record = (fn: string, call: AwsCall) => {
    const key = `${fn} ${call.service.replace(/Client$/, '')} ${call.command.replace(/Command$/, '')}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (call.command === 'PutObjectCommand') {
      s3Puts += 1;
      s3Bytes += byteLength(call.input.Body);
    }
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
    const reset = () => (meter.reset(), calls.clear(), stack.metrics.clear(), logs.reset());

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
                message: `Hei {{customer.name}}!\n\n${'Husk bilagene. '.repeat(60)}`,
              },
              {
                when: 'before',
                offset: 'P1D',
                channels: ['email'],
                subject: 'Frist i morgen: {{task.title}}',
                message: `Hei {{customer.name}}!\n\n${'Husk bilagene. '.repeat(60)}`,
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
    const metrics = [...new Set(stack.metrics.all.map((m) => `${m.fn} ${m.name} ${JSON.stringify(m.dimensions)}`))].sort();
    return {
      tasks: taskCount,
      notices,
      callsPerNotice: per(busy.calls, idle.calls),
      invocationsPerNotice: { api: (taskCount * 2) / notices, dispatch: 1, 'ses-events': 1 },
      msPerInvocation: {
        api: ms.api / (taskCount * 2),
        dispatch: ms.dispatch / notices,
        'ses-events': ms['ses-events'] / notices,
        reconciler: Math.max(0, ms.reconciler - reconcilerRuns * idle.ms) / notices,
      },
      reconcilerRuns,
      reconcilerIdleRun: { ms: idle.ms, calls: Object.fromEntries(idle.calls), rru: sum(idle.reads), wru: sum(idle.writes), logBytes: idle.logBytes },
      wruPerNotice: per(busy.writes, idle.writes),
      rruPerNotice: per(busy.reads, idle.reads),
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
  return { calls: divided(calls), reads: divided(meter.reads), writes: divided(meter.writes), logBytes: logs.bytes / runs };
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
};

/** Memory of each function as deployed (cdk/), GB. */
const MEMORY_GB: Record<string, number> = { api: 0.5, dispatch: 0.5, 'ses-events': 0.25, reconciler: 0.5 };
/**
 * Lambda at 512 MB gets about a third of a vCPU; this machine's figures are for whole cores.
 * Billed time is taken as three times the time measured here: an upper bound for code that
 * mostly waits on I/O.
 */
const LAMBDA_SLOWER = 3;
/** SQS requests per notice: the Scheduler's send, the event source's receive and delete, each of the latter shared by a batch (1 when idle, 10 at a burst). */
const SQS_REQUESTS_PER_NOTICE = 3;
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
export function priceCosts(c: CostCounts, reconcilerRunsPerMonth = 2880): { rows: CostRow[]; total: number; fixedPerMonth: number; fixedRows: CostRow[] } {
  const M = 1_000_000;
  const sumOf = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const wru = sumOf(c.wruPerNotice);
  const rru = sumOf(c.rruPerNotice);
  const stored = sumOf(c.storedBytesPerNotice);
  const invocations = sumOf(c.invocationsPerNotice);
  const gbSeconds = Object.entries(c.invocationsPerNotice).reduce(
    (s, [fn, n]) => s + ((n * ((c.msPerInvocation[fn] ?? 0) * LAMBDA_SLOWER)) / 1000) * (MEMORY_GB[fn] ?? 0.5),
    (((c.msPerInvocation.reconciler ?? 0) * LAMBDA_SLOWER) / 1000) * MEMORY_GB.reconciler!,
  );
  const apiRequests = c.invocationsPerNotice.api ?? 0;
  const rows: CostRow[] = [
    { service: 'SES', basis: '1 e-mail', perMillion: (M / 1000) * PRICES.sesPerThousand, floor: true },
    { service: 'EventBridge Scheduler', basis: '1 invocation', perMillion: PRICES.schedulerPerMillionInvocations, floor: true },
    {
      service: 'SQS',
      basis: `${SQS_REQUESTS_PER_NOTICE} requests (no batching)`,
      perMillion: SQS_REQUESTS_PER_NOTICE * PRICES.sqsPerMillionRequests,
      floor: true,
    },
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
  return `Of that, $${floorTotal.toFixed(2)} is the floor of the design, one call per notice that no code change removes (${floor.map(money).join(', ')}): ${((floorTotal / (ses / 10)) * 100).toFixed(0)} % of the goal before anything else; the rest, $${rest.reduce((s, r) => s + r.perMillion, 0).toFixed(2)}, is ${rest.map(money).join(', ')}.`;
}

/** The cost section of docs/benchmarks.md, with the counts behind it. */
export function costMarkdown(c: CostCounts): string {
  const { rows, total, fixedRows, fixedPerMonth } = priceCosts(c);
  const ses = rows.find((r) => r.service === 'SES')!.perMillion;
  const around = total - ses;
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
  return [
    `Counted on the local stack (\`countCosts(${c.tasks})\`): ${c.tasks} tasks with two e-mail notices each, created, both notices sent through the Scheduler, the dispatch queue and dispatch, an SES delivery event for each, the reconciler every 15 minutes as deployed (${c.reconcilerRuns} runs), the task marked done. Per notice:`,
    '',
    '| service | per notice | $ per million notices |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.service} | ${r.basis} | ${r.perMillion.toFixed(2)} |`),
    `| **total** | | **${total.toFixed(2)}** |`,
    '',
    `Around SES: **$${around.toFixed(2)} per million notices, ${((around / ses) * 100).toFixed(0)} % of SES's $${ses.toFixed(0)}** (goal: at most 10 %, $${(ses / 10).toFixed(0)}). ${floorLine(rows, ses)} Fixed per month, whatever is sent: $${fixedPerMonth.toFixed(2)} (${fixedRows.map((r) => `${r.service}: ${r.basis}, $${r.perMillion.toFixed(2)}`).join('; ')}).`,
    '',
    `- AWS calls per notice: ${list(c.callsPerNotice)}.`,
    `- DynamoDB write units per notice, by item and table or index: ${list(c.wruPerNotice)}.`,
    `- DynamoDB read units per notice: ${list(c.rruPerNotice)}.`,
    `- Bytes kept in DynamoDB per notice after the task is done (100 bytes of overhead per item and index entry): ${list(c.storedBytesPerNotice)}.`,
    `- Milliseconds per invocation here: ${list(c.msPerInvocation)} (the reconciler's: per notice, above what its runs take with nothing due; 0 when within their noise); log bytes per notice: ${c.logBytesPerNotice.toFixed(0)}; a filed copy ${(c.s3BytesPerNotice / 1024).toFixed(1)} KB.`,
    "- S3 lifecycle rules do not move objects under 128 KB to Standard-IA (AWS's default since September 2024), so the filed copies (a few KB) stay in Standard.",
  ].join('\n');
}
