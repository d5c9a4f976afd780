import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../local/local-dynamodb.ts';
import { startLocalStack } from '../local/local-stack.ts';
import { createDynamoDbClient } from '../shared/adapters/dynamodb-client.ts';
import { SCHEDULES_CONFIRMED } from '../shared/adapters/table-layout.ts';
import { benchFirm } from './bench-firm.ts';
import { NoticeInput } from '../shared/api/task.schemas.ts';
import { RECONCILER_SCHEDULER_CALLS_PER_SECOND, reconcileSchedules, type ReconcileOptions } from '../shared/use-cases/reconcile-schedules.ts';
import { createTask } from '../shared/use-cases/tasks.ts';

export interface ReconcilerRun {
  name: string;
  seconds: number;
  checked: number;
  /** Calls of the reconciler per task in its look, by command (`ListSchedules`, `GetItem`, ...). */
  perTask: Record<string, number>;
}

export interface ReconcilerFigures {
  tasks: number;
  runs: ReconcilerRun[];
}

/**
 * `count` tasks, each with one e-mail notice due within the reconciler's horizon, saved
 * through the use case (so each save confirms its schedules), on a fresh local stack. Then
 * three runs of the reconciler, timed and counted call by call: the ordinary run (every task
 * confirmed), a run after every task lost its mark (as if every save had died before it), and
 * a full run (`{"full": true}`, every task listed whatever its mark, as every run did before
 * the mark). The Scheduler pacing is lifted for the measure (the local Scheduler has no quota).
 */
export async function reconcilerBench(count: number): Promise<ReconcilerFigures> {
  const tenant = 'bench-reconcile';
  const now = new Date('2030-01-01T08:00:00Z');
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-reconcile-'));
  const calls: string[] = [];
  const stack = await startLocalStack({
    clock: { now: () => new Date(now) },
    dataDir,
    env: { LOG_LEVEL: 'SILENT' },
    recordAwsCalls: (fn, call) => fn === 'reconciler' && calls.push(call.command.replace(/Command$/, '')),
  });
  try {
    const { ports } = stack;
    const customers = await benchFirm(ports, tenant, 50);
    const notice = NoticeInput.parse({ when: 'before', offset: 'PT0S', channels: ['email'], subject: 'Frist', message: 'Husk {{task.title}}.' });
    const taskIds: string[] = [];
    for (let i = 0; i < count; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) => {
          const n = i + j;
          // Due from 1 to 2 hours ahead: inside the 3-hour horizon.
          const deadline = new Date(now.getTime() + 3_600_000 + (n % 60) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
          return createTask(ports, tenant, { title: `MVA-melding ${n}`, customerId: customers[n % customers.length]!.id, deadline, notices: [notice] });
        }),
      );
      taskIds.push(...batch.map((task) => task.id));
    }
    const options: ReconcileOptions = { horizonHours: 3, graceMinutes: 15, schedulerCallsPerSecond: 1e9 };
    const measure = async (name: string, extra: Partial<ReconcileOptions> = {}): Promise<ReconcilerRun> => {
      calls.length = 0;
      const start = performance.now();
      const report = await reconcileSchedules(stack.reconcilerPorts, { ...options, ...extra });
      const seconds = (performance.now() - start) / 1000;
      if (report.failed || report.tasks !== count) throw new Error(`the reconciler run failed: ${JSON.stringify(report)}`);
      const perTask: Record<string, number> = {};
      for (const command of calls) perTask[command] = (perTask[command] ?? 0) + 1 / count;
      return { name, seconds, checked: report.checked, perTask };
    };
    const confirmed = await measure('every task confirmed (the ordinary run)');
    const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
    for (let i = 0; i < taskIds.length; i += 25) {
      await Promise.all(
        taskIds.slice(i, i + 25).map((id) =>
          db.send(
            new UpdateCommand({
              TableName: stack.config.TABLE_NAME,
              Key: { pk: `T#${tenant}`, sk: `K#${id}` },
              UpdateExpression: 'REMOVE #mark',
              ExpressionAttributeNames: { '#mark': SCHEDULES_CONFIRMED },
            }),
          ),
        ),
      );
    }
    const unconfirmed = await measure('every task unconfirmed (each save died before its mark)');
    const full = await measure('full run, `{"full": true}` (every task listed, as every run did before the mark)', { full: true });
    return { tasks: count, runs: [confirmed, unconfirmed, full] };
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The reconciler's section of docs/benchmarks.md: the measured runs and the quota arithmetic. */
export function reconcilerSection(figures: ReconcilerFigures): string {
  const commands = [...new Set(figures.runs.flatMap((run) => Object.keys(run.perTask)))].sort();
  const total = (run: ReconcilerRun) => Object.values(run.perTask).reduce((a, b) => a + b, 0);
  const scheduler = (run: ReconcilerRun) =>
    Object.entries(run.perTask)
      .filter(([command]) => /Schedule/.test(command))
      .reduce((a, [, n]) => a + n, 0);
  const rows = figures.runs.map(
    (run) =>
      `| ${run.name} | ${run.checked} | ${run.seconds.toFixed(2)} | ${total(run).toFixed(2)} | ${scheduler(run).toFixed(2)} | ${commands.map((c) => (run.perTask[c] ?? 0).toFixed(2)).join(' | ')} |`,
  );
  const rate = RECONCILER_SCHEDULER_CALLS_PER_SECOND;
  return [
    `${figures.tasks} tasks, each with one e-mail notice due within the 3-hour horizon, saved through the use case on a fresh local stack; one reconciler run each, timed, every AWS call of the reconciler counted (the pacing lifted: the local Scheduler has no quota).`,
    '',
    `| run | tasks listed | seconds | calls per task | Scheduler calls per task | ${commands.join(' | ')} |`,
    `|---|---|---|---|---|${commands.map(() => '---').join('|')}|`,
    ...rows,
    '',
    '**Scheduler API quotas, 100,000 tasks due in a day.** The quotas are per account and Region, per',
    'operation (EventBridge Scheduler User Guide, "Quotas"): CreateSchedule, DeleteSchedule,',
    'GetSchedule and UpdateSchedule 1,000 requests per second in the large Regions and 250 in the',
    'others (eu-north-1 among them); ListSchedules 50. What the reconciler asks of them:',
    '',
    `- Ordinary run: a save confirms its own schedules, so the tasks due in the horizon cost ${scheduler(figures.runs[0]!).toFixed(2)} Scheduler calls each;`,
    '  an occurrence whose time came costs DynamoDB reads (its delivery records) and at most one write',
    '  (its due entry moving on), and one CreateSchedule only when it is resent. 100,000 tasks due at',
    '  09:00 cost the 08:45 run no Scheduler call, the 09:15 run none for those sent.',
    `- Uncertain tasks (a save that died or failed half-way, a resend) cost one ListSchedules plus the repairs;`,
    `  every Scheduler call of a run waits for a token of a bucket of ${rate} a second: at most ${(rate * 3600).toLocaleString('en-US')} calls an hour,`,
    `  ${((rate / 50) * 100).toFixed(0)} % of ListSchedules' 50 a second and ${((rate / 250) * 100).toFixed(0)} % of the 250 a second of the others in the smallest Regions,`,
    "  whatever the backlog: the rest is the API's and the jobs' share.",
    `- Worst case, all 100,000 unconfirmed (after a restore of the table, or a full run): about ${(100_000 / rate / 60).toFixed(0)} minutes of`,
    `  ListSchedules at ${rate} a second; a run stops starting tasks after 4 minutes (the function's limit is 5),`,
    `  so ${(100_000 / (rate * 240)).toFixed(0)} runs (every 15 minutes) work through it, soonest first, the marks keeping what each`,
    "  run did. A ThrottlingException (after the SDK's own retries) is tried again after 1, 2, 4 and 8 s,",
    '  then left to the next run (`deferred`), never counted as a failure.',
    `- Before the mark, every run listed every task in the horizon: 100,000 tasks due at 09:00 meant`,
    '  100,000 ListSchedules in each of the twelve runs from 06:00, 2,000 s at the 50 a second quota:',
    '  longer than a run and throttled throughout.',
  ].join('\n');
}
