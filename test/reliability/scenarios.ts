import { idForKey } from '../../shared/use-cases/idempotent-create.ts';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { desiredSchedules } from '../../shared/use-cases/task-schedules.ts';
import { queuedMessageOf } from '../integration/harness.ts';
import { figuresOf, titleFor, type Figures } from './figures.ts';
import { TENANT, type CrashPoint, type ReliabilityStack } from './reliability-stack.ts';

/**
 * The reliability cases, each as a function that runs on a fresh reliability stack and
 * returns its figures. The tests in this folder run them with a few notices and assert;
 * `npm run reliability` runs them with more and writes docs/reliability.md.
 */

const BOTH: ('email' | 'sms')[] = ['email', 'sms'];

/** Fires what is due one minute on, as the Scheduler would. */
async function fire(stack: ReliabilityStack): Promise<void> {
  stack.clock.advance(60_000);
  await stack.runDue();
}

/** Each occurrence's message delivered `copies` times at once (SQS delivers at least once). */
export async function replays(stack: ReliabilityStack, notices: number, copies: number): Promise<Figures> {
  const tasks = [];
  for (let i = 0; i < notices; i += 1) {
    const title = titleFor('replay', i);
    const task = await stack.dueTask(title, BOTH);
    tasks.push({ id: task.id, title });
    const [schedule] = stack.schedulesOf(TENANT, task.id);
    const { body, groupId } = queuedMessageOf(schedule!);
    for (let c = 0; c < copies; c += 1) stack.dispatchQueue.send(body, 0, groupId);
  }
  await fire(stack);
  for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();
  return figuresOf(stack, `${copies} copies of each message`, tasks);
}

/** The dispatch function dies at `point` on its first attempt; the queue brings the message back. */
export async function crashAt(stack: ReliabilityStack, point: CrashPoint, notices: number): Promise<Figures> {
  const tasks = [];
  for (let i = 0; i < notices; i += 1) {
    const title = titleFor(`crash ${point}`, i);
    const task = await stack.dueTask(title, BOTH);
    tasks.push({ id: task.id, title });
    stack.crash.arm(point);
    await fire(stack);
    for (let r = 0; r < 2; r += 1) await stack.afterVisibilityTimeout();
  }
  return figuresOf(stack, `crash ${point}`, tasks);
}

/**
 * Completion racing the notice's send: both start together, the completion after a random
 * 0-25 ms, dispatch slowed by random delays. Counts provider calls that started after the completion answered 2xx and that the
 * answer did not report in `inFlight`: must be 0.
 */
export async function completeVersusFire(stack: ReliabilityStack, trials: number): Promise<Figures & { late: number; reported: number }> {
  const tasks = [];
  let late = 0;
  let reported = 0;
  // Random delays before each of dispatch's steps, so the completion lands in every phase.
  stack.crash.jitterMs = 8;
  for (let i = 0; i < trials; i += 1) {
    const title = titleFor('race', i);
    const task = await stack.dueTask(title, BOTH);
    tasks.push({ id: task.id, title });
    stack.clock.advance(60_000);
    const firing = stack.runDue();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
    const answer = await stack.api.post(`/tasks/${task.id}/complete`);
    const answeredAt = performance.now();
    await firing;
    if (answer.status !== 200) throw new Error(`complete answered ${answer.status}`);
    const inFlight = new Set((answer.body.inFlight as { channel: string }[]).map((f) => f.channel));
    reported += inFlight.size;
    late += stack.providerCalls.filter((c) => c.text.includes(title) && c.startedAt > answeredAt && !inFlight.has(c.channel)).length;
    await stack.afterVisibilityTimeout();
  }
  stack.crash.jitterMs = 0;
  const figures = await figuresOf(stack, `complete while the notice fires (${trials} trials)`, tasks);
  return { ...figures, late, reported };
}

/**
 * Saves that race, fail or are replayed. After each, every occurrence of the stored plan must
 * have its schedule (none missing: a missing one would be a lost notice). A schedule beyond
 * the plan may stay only after a save that failed and whose clean-up met the failure too; it
 * names an instant the plan does not have, so it sends nothing, and the reconciler deletes
 * it: after one reconcile over all tasks, live schedules and plans are equal.
 */
export async function saveRaces(stack: ReliabilityStack, runs: number): Promise<{ runs: number; mismatched: number; details: string[] }> {
  const details: string[] = [];
  const taskIds = new Set<string>();
  const compare = async (taskId: string) => {
    const stored = await stack.ports.store.getTask(TENANT, taskId);
    const wanted = [...desiredSchedules(TENANT, stored).values()].map((s) => `${s.name} ${s.at}`);
    const live = stack.schedulesOf(TENANT, taskId).map((s) => `${s.Name} ${s.ScheduleExpression.slice(3, 22)}Z`);
    return { missing: wanted.filter((w) => !live.includes(w)).length, extra: live.filter((l) => !wanted.includes(l)).length };
  };
  const check = async (label: string, taskId: string, status = 200) => {
    taskIds.add(taskId);
    const { missing, extra } = await compare(taskId);
    if (missing || (extra && status < 500)) details.push(`${label} (${status}): ${missing} schedules missing, ${extra} beyond the plan`);
  };
  const body = (task: { id: string; version: number; notices: { id: string }[] }, deadline: string, title = 'Bilag') => ({
    title,
    customerId: stack.customerId,
    deadline,
    notices: [
      { id: task.notices[0]!.id, when: 'before', offset: 'P1D', channels: ['email'], subject: 'Frist: {{task.title}}', message: 'Husk {{task.title}}.' },
    ],
    version: task.version,
  });
  for (let run = 0; run < runs; run += 1) {
    const task = await stack.dueTask(titleFor('save', run), ['email'], 30 * 86_400_000);
    // Three updates of one version at once: one wins, and its plan is what is scheduled.
    const answers = await Promise.all(['2027-08-10', '2027-08-20', '2027-08-30'].map((d) => stack.api.put(`/tasks/${task.id}`, body(task, d))));
    if (answers.filter((a) => a.status === 200).length !== 1) details.push(`race ${run}: ${answers.map((a) => a.status).join(',')}`);
    await check(`race ${run}`, task.id);
    const current = (await stack.api.get(`/tasks/${task.id}`)).body;
    // The Scheduler fails while two new schedules are created (some of them may be created
    // before it fails): a 503 must leave nothing that fires moved.
    stack.schedulerFaults!.failNext(500, 'InternalServerException', 5);
    const twoNotices = {
      ...body(current, '2027-09-10'),
      notices: [...body(current, '2027-09-10').notices, { when: 'after', offset: 'P1D', channels: ['email'], subject: 'Frist: x', message: 'x' }],
    };
    const schedulerFailed = await stack.api.put(`/tasks/${task.id}`, twoNotices);
    if (![200, 503].includes(schedulerFailed.status)) details.push(`scheduler fault ${run}: ${schedulerFailed.status}`);
    stack.schedulerFaults!.clear();
    await check(`scheduler fault ${run}`, task.id, schedulerFailed.status);
    // The conditional write itself fails: 503, schedules as before.
    const latest = (await stack.api.get(`/tasks/${task.id}`)).body;
    stack.storeFaults.failNextPutTask = 1;
    const writeFailed = await stack.api.put(`/tasks/${task.id}`, body(latest, '2027-09-20'));
    if (writeFailed.status !== 503) details.push(`write fault ${run}: ${writeFailed.status}`);
    stack.storeFaults.failNextPutTask = 0;
    await check(`write fault ${run}`, task.id, writeFailed.status);
  }
  // An Idempotency-Key reused for another body: 409, and the first task's schedules stand.
  const key = `key-${Math.random().toString(36).slice(2)}`;
  const create = (deadline: string) =>
    stack.api.call('POST', '/tasks', { ...body({ id: '', version: 0, notices: [{ id: 'n1' }] }, deadline), version: undefined }, { 'idempotency-key': key });
  const first = await create('2027-10-01');
  const reused = await create('2027-10-15');
  if (first.status !== 201 || reused.status !== 409) details.push(`idempotency: ${first.status},${reused.status} ${JSON.stringify(first.body)}`);
  await check('idempotency', first.body.id);
  // A create whose write fails leaves no schedule behind.
  stack.storeFaults.failNextPutTask = 1;
  const failedCreate = await stack.api.call(
    'POST',
    '/tasks',
    { ...body({ id: '', version: 0, notices: [{ id: 'n2' }] }, '2027-10-01'), version: undefined },
    { 'idempotency-key': `${key}-2` },
  );
  if (failedCreate.status !== 503) details.push(`failed create: ${failedCreate.status}`);
  const orphans = stack.schedulesOf(TENANT, idForKey(TENANT, 'task', `${key}-2`));
  if (orphans.length) details.push(`failed create left ${orphans.length} schedules`);
  // The reconciler, looking at every task, leaves exactly the plans' schedules.
  const reconciled = await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 24 * 365, graceMinutes: 15 });
  if (reconciled.failed) details.push(`the reconciler failed for ${reconciled.failed} tasks`);
  for (const taskId of taskIds) {
    const { missing, extra } = await compare(taskId);
    if (missing || extra) details.push(`after the reconciler: ${missing} missing, ${extra} beyond the plan`);
  }
  return { runs, mismatched: details.length, details };
}
