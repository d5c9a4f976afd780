import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { utcSeconds } from '../shared/domain/plan-occurrences.ts';
import { benchFirm } from './bench-firm.ts';
import { NoticeInput } from '../shared/api/task.schemas.ts';
import {
  RECONCILER_SCHEDULER_CALLS_PER_SECOND,
  reconcileSchedules,
  type ReconcileOptions,
  type ReconcileReport,
} from '../shared/use-cases/reconcile-schedules.ts';
import { desiredSchedules } from '../shared/use-cases/task-schedules.ts';
import { createTask } from '../shared/use-cases/tasks.ts';
import { CapacityMeter } from './capacity-meter.ts';
import { seedTasks, withScaleStack, type TaskShape } from './scale-seed.ts';

const TENANT = 'bench-reconcile-scale';
/** As deployed (cdk/frist-stack.ts): a run every 15 minutes, a 3-hour horizon, 15 minutes' grace, 4 minutes of work. */
const DEPLOYED: ReconcileOptions = { horizonHours: 3, graceMinutes: 15 };
const RUNS_PER_HOUR = 4;
const RUN_BUDGET_S = 240;
/** The full run is cut short here to show its deferral without spending a whole run's budget on it. */
const FULL_RUN_BUDGET_MS = 60_000;

/** The Scheduler API's request-rate quotas in the smaller Regions (eu-north-1 among them), per second (EventBridge Scheduler User Guide, "Quotas"). */
export const SCHEDULER_QUOTAS = { ListSchedules: 50, CreateSchedule: 250, DeleteSchedule: 250, GetSchedule: 250 };

export interface ReconcilerScaleRun {
  name: string;
  seconds: number;
  report: ReconcileReport;
  /** AWS calls of the reconciler function, by command. */
  calls: Record<string, number>;
  /** DynamoDB read units by DynamoDB's rules (eventually consistent queries, consistent item reads). */
  rru: number;
}

export interface ReconcilerScale {
  tasks: number;
  unconfirmed: number;
  overdue: number;
  seedSeconds: number;
  /** The run's first read: the due index up to the horizon plus 26 hours (a change of zone). */
  dueRead: { entries: number; seconds: number; rru: number; heapMb: number; jsonMb: number };
  runs: ReconcilerScaleRun[];
}

/**
 * The day's tasks: every 200th overdue (its notice due 30-90 minutes ago, no record: its
 * schedule fired into a queue that lost it), every 100th unconfirmed (its save died before the
 * mark; every other one of those also before its schedule), the rest confirmed, due over the
 * next 24 hours.
 */
function shapeOf(n: number, now: Date, customers: string[]): TaskShape & { kind: 'overdue' | 'unconfirmed' | 'missing' | 'confirmed' } {
  const kind = n % 200 === 0 ? 'overdue' : n % 200 === 1 ? 'missing' : n % 100 === 1 ? 'unconfirmed' : 'confirmed';
  const minutes = kind === 'overdue' ? -30 - (n % 60) : 5 + ((n * 7919) % 1435);
  return {
    kind,
    title: `MVA-melding ${n}`,
    customerId: customers[n % customers.length]!,
    deadline: utcSeconds(new Date(now.getTime() + minutes * 60_000)),
    status: 'open',
    notices: [],
  };
}

/**
 * The reconciler over `count` tasks due within a day, on a fresh local stack with a capacity
 * meter in front of DynamoDB: the due read alone (time, read units, memory), then the
 * deployed run (its pacing of 20 Scheduler calls a second and its 4-minute budget), the run
 * after it, and a full run cut short at 60 s to show what it defers.
 */
export async function reconcilerScaleBench(count: number): Promise<ReconcilerScale> {
  const meter = new CapacityMeter('eu-north-1');
  const calls: string[] = [];
  let now = new Date('2030-01-01T06:00:00Z');
  return withScaleStack(
    {
      clock: { now: () => new Date(now) },
      frontDynamoDb: (endpoint) => meter.start(endpoint),
      recordAwsCalls: (fn, call) => fn === 'reconciler' && calls.push(call.command.replace(/Command$/, '')),
    },
    async (scale) => {
      try {
        const { ports } = scale.stack;
        const customers = (await benchFirm(ports, TENANT, 50)).map((customer) => customer.id);
        const notice = NoticeInput.parse({ when: 'before', offset: 'PT0S', channels: ['email'], subject: 'Frist', message: 'Husk {{task.title}}.' });
        const model = await createTask(ports, TENANT, { title: 'Modell', customerId: customers[0]!, deadline: '2031-01-01T08:00:00Z', notices: [notice] });
        const stored = (await ports.store.getTask(TENANT, model.id))!;
        const shapes = Array.from({ length: count }, (_, n) => ({ ...shapeOf(n, now, customers), notices: stored.notices }));
        const started = performance.now();
        const seed = (kind: string, confirmed: boolean, at: Date) => {
          const picked = shapes.filter((s) => s.kind === kind);
          return seedTasks(scale, TENANT, stored, picked.length, (n) => picked[n]!, { now: at, schedulesConfirmed: confirmed, attentionMarks: false });
        };
        // The overdue were saved three hours ago, so their occurrence is still scheduled.
        await seed('overdue', true, new Date(now.getTime() - 3 * 3_600_000));
        await seed('missing', false, now);
        // Every task but the overdue and the missing has its schedule, as its save left it; the
        // bench makes them for the tasks due in the next four hours only (no run here looks further).
        const soon = utcSeconds(new Date(now.getTime() + 4 * 3_600_000));
        const ids = [...(await seed('unconfirmed', false, now)), ...(await seed('confirmed', true, now))];
        const order = [...shapes.filter((s) => s.kind === 'unconfirmed'), ...shapes.filter((s) => s.kind === 'confirmed')];
        const scheduled = ids.filter((_, i) => order[i]!.deadline! < soon);
        for (let i = 0; i < scheduled.length; i += 32) {
          const tasks = await Promise.all(scheduled.slice(i, i + 32).map((id) => ports.store.getTask(TENANT, id)));
          await Promise.all(tasks.flatMap((task) => [...desiredSchedules(TENANT, task).values()].map((spec) => ports.scheduler.create(spec))));
        }
        const seedSeconds = (performance.now() - started) / 1000;

        const until = utcSeconds(new Date(now.getTime() + (DEPLOYED.horizonHours + 26) * 3_600_000));
        meter.reset();
        const heapBefore = heapUsed();
        const readStart = performance.now();
        const due = await scale.stack.reconcilerPorts.store.queryDueTasks('0000', until);
        const dueRead = {
          entries: due.length,
          seconds: (performance.now() - readStart) / 1000,
          rru: total(meter.reads),
          heapMb: (heapUsed() - heapBefore) / 2 ** 20,
          jsonMb: JSON.stringify(due).length / 2 ** 20,
        };
        due.length = 0;

        const measure = async (name: string, extra: Partial<ReconcileOptions> = {}): Promise<ReconcilerScaleRun> => {
          calls.length = 0;
          meter.reset();
          const start = performance.now();
          const report = await reconcileSchedules(scale.stack.reconcilerPorts, { ...DEPLOYED, ...extra });
          const seconds = (performance.now() - start) / 1000;
          if (report.failed) throw new Error(`the reconciler failed: ${JSON.stringify(report)}`);
          const counted: Record<string, number> = {};
          for (const command of calls) counted[command] = (counted[command] ?? 0) + 1;
          return { name, seconds, report, calls: counted, rru: total(meter.reads) };
        };
        const runs = [await measure('the run at 06:00, as deployed')];
        // A quarter of an hour on: the schedules due meanwhile fire and dispatch sends them (and the resent overdue).
        now = new Date(now.getTime() + 15 * 60_000);
        await scale.stack.runDue();
        runs.push(
          await measure('the run at 06:15, after the sends due meanwhile'),
          await measure(`a full run at 06:15, \`{"full": true}\`, cut at ${FULL_RUN_BUDGET_MS / 1000} s`, { full: true, budgetMs: FULL_RUN_BUDGET_MS }),
        );
        const kinds = (kind: string) => shapes.filter((s) => s.kind === kind).length;
        return { tasks: count, unconfirmed: kinds('unconfirmed') + kinds('missing'), overdue: kinds('overdue'), seedSeconds, dueRead, runs };
      } finally {
        await meter.stop();
      }
    },
  );
}

function total(tally: Map<string, number>): number {
  return [...tally.values()].reduce((a, b) => a + b, 0);
}

/** The heap in use after a full collection (the bench's own process: the stand-ins share it, so only a difference says anything). */
function heapUsed(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** The reconciler's part of the "At scale" section. */
export function reconcilerScaleSection(r: ReconcilerScale): string {
  const scheduler = (run: ReconcilerScaleRun) =>
    Object.entries(run.calls)
      .filter(([command]) => /Schedule/.test(command))
      .reduce((a, [, n]) => a + n, 0);
  const dynamo = (run: ReconcilerScaleRun) =>
    Object.entries(run.calls)
      .filter(([command]) => !/Schedule|SendMessage/.test(command))
      .reduce((a, [, n]) => a + n, 0);
  const commands = [...new Set(r.runs.flatMap((run) => Object.keys(run.calls)))].sort();
  const [first, next] = r.runs as [ReconcilerScaleRun, ReconcilerScaleRun];
  const perHour = (run: ReconcilerScaleRun) => scheduler(run) * RUNS_PER_HOUR;
  const rate = RECONCILER_SCHEDULER_CALLS_PER_SECOND;
  return [
    `**${r.tasks.toLocaleString('en-US')} tasks due within a day** (seeded in ${r.seedSeconds.toFixed(0)} s): ${r.overdue} overdue (due 30-90 minutes ago, no record), ${r.unconfirmed} unconfirmed (half of them without their schedule), the rest confirmed, due from 5 minutes to 24 hours ahead. One firm; the reconciler as deployed (3-hour horizon, 15 minutes' grace, ${rate} Scheduler calls a second, ${RUN_BUDGET_S / 60} minutes' budget).`,
    '',
    `The due read (the index up to the horizon plus 26 hours, for a change of zone): **${r.dueRead.entries.toLocaleString('en-US')} entries** in ${r.dueRead.seconds.toFixed(1)} s, ${r.dueRead.rru.toFixed(0)} read units, ${r.dueRead.jsonMb.toFixed(1)} MB as JSON, about ${r.dueRead.heapMb.toFixed(0)} MB of heap held.`,
    '',
    `| run | seconds (to the ${RUN_BUDGET_S} s budget) | due entries | checked | confirmed | created | resent | deferred | DynamoDB calls | read units | Scheduler calls | Scheduler calls an hour at 4 runs (to ${(SCHEDULER_QUOTAS.ListSchedules * 3600).toLocaleString('en-US')}, ListSchedules' quota) | ${commands.join(' | ')} |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|${commands.map(() => '---').join('|')}|`,
    ...r.runs.map(
      (run) =>
        `| ${run.name} | ${run.seconds.toFixed(1)} (**${(run.seconds / RUN_BUDGET_S).toFixed(2)}**) | ${run.report.tasks} | ${run.report.checked} | ${run.report.confirmed} | ${run.report.created} | ${run.report.resent} | ${run.report.deferred} | ${dynamo(run)} | ${run.rru.toFixed(0)} | ${scheduler(run)} | ${perHour(run).toLocaleString('en-US')} (**${(perHour(run) / (SCHEDULER_QUOTAS.ListSchedules * 3600)).toFixed(3)}**) | ${commands.map((c) => run.calls[c] ?? 0).join(' | ')} |`,
    ),
    '',
    `- The first run's Scheduler calls: ${scheduler(first)} for the ${first.report.checked} unconfirmed tasks in the horizon (the others are checked once their time is within it) and the ${r.overdue} overdue ones, at most ${rate} a second whatever the backlog: ${(rate / SCHEDULER_QUOTAS.ListSchedules).toFixed(2)} of ListSchedules' ${SCHEDULER_QUOTAS.ListSchedules} a second and ${(rate / SCHEDULER_QUOTAS.CreateSchedule).toFixed(2)} of CreateSchedule's ${SCHEDULER_QUOTAS.CreateSchedule} in the smaller Regions (the large ones allow more). A confirmed task costs no Scheduler call.`,
    `- What is due costs DynamoDB calls, not Scheduler calls: the run at 06:15 moved on the due entries of ${next.report.advanced} tasks sent since 06:00 (each: its delivery records read, the task read, its entry written once) with ${scheduler(next)} Scheduler calls.`,
    `- The full run lists every task in the horizon at the same pace; what its budget did not reach is \`deferred\` (only tasks that needed a look count), soonest first, for the next run.`,
    `- What does not shrink with the mark: every run reads the due index up to the horizon plus 26 hours, so with a day's tasks due it reads them all, ${r.dueRead.rru.toFixed(0)} read units a run, about ${((r.dueRead.rru * RUNS_PER_HOUR * 24) / 1e6).toFixed(2)} million a day at ${RUNS_PER_HOUR * 24} runs, and holds them in memory (about ${r.dueRead.heapMb.toFixed(0)} MB of the function's 512). The 26 hours are there for tasks a change of zone did not re-plan (its job failed on them); reading only the horizon would need those tasks moved into it when the job fails on them.`,
  ].join('\n');
}
