import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { figuresOf, titleFor, type Figures } from './figures.ts';
import type { ReliabilityStack } from './reliability-stack.ts';

/**
 * Outages of the services dispatch depends on, lost answers, and a stack that was down when
 * notices fell due. Each returns the figures of its notices at the end.
 */

export type Dependency = 'ses' | 'sms' | 's3' | 'dynamodb';

const BOTH: ('email' | 'sms')[] = ['email', 'sms'];
const VISIBILITY_MS = DISPATCH_QUEUE.visibilityTimeoutSeconds * 1000;

/** Every call to `dependency` fails as AWS (or the gateway) does in an outage, until `end()`. */
function startOutage(stack: ReliabilityStack, dependency: Dependency): { end(): void } {
  const proxy = { ses: stack.sesFaults, s3: stack.s3Faults, dynamodb: stack.dynamodbFaults, sms: undefined }[dependency];
  if (dependency === 'sms') stack.sms.failNext(503, 1_000_000);
  else proxy!.failNext(503, 'ServiceUnavailable', 1_000_000);
  return { end: () => (dependency === 'sms' ? stack.sms.clear() : proxy!.clear()) };
}

/**
 * Notices fall due a minute into an outage of `hours`; the queue keeps bringing them back
 * every visibility timeout. After the outage they must all go out, once.
 */
export async function outage(stack: ReliabilityStack, dependency: Dependency, hours: number, notices: number): Promise<Figures> {
  const tasks = [];
  for (let i = 0; i < notices; i += 1) {
    const title = titleFor(`${dependency} outage`, i);
    tasks.push({ id: (await stack.dueTask(title, BOTH)).id, title });
  }
  const down = startOutage(stack, dependency);
  stack.clock.advance(60_000);
  await stack.runDue();
  for (let waited = 0; waited < hours * 3_600_000; waited += VISIBILITY_MS) await stack.afterVisibilityTimeout();
  down.end();
  for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();
  return figuresOf(stack, `${dependency} down for ${hours} h from the notices' time`, tasks);
}

/**
 * The provider carries out the request but its answer is lost (SES: the connection is cut;
 * the SMS gateway: it answers after the client's timeout). The outcome is unknown, so the
 * delivery is retried and any second copy is flagged `possibleDuplicate`.
 */
export async function lostAnswers(stack: ReliabilityStack, notices: number): Promise<Figures> {
  const tasks = [];
  for (let i = 0; i < notices; i += 1) {
    const title = titleFor('lost answer', i);
    tasks.push({ id: (await stack.dueTask(title, BOTH)).id, title });
    stack.sesFaults!.loseResponseNext(1);
    stack.sms.answerAfter(stack.config.SMS_TIMEOUT_MS + 200, 1);
    stack.clock.advance(60_000);
    await stack.runDue();
    await stack.afterVisibilityTimeout();
  }
  return figuresOf(stack, 'the answer of the first send is lost', tasks);
}

/**
 * The stack is down across the notices' time: its schedules fired into nothing and its
 * queue is gone (the local stack keeps both in memory). On start the reconciler hands every
 * occurrence without a final record to dispatch again: those within the firm's maximum
 * lateness go out late, older ones end `skipped too-late`. Some notices were mid-send when
 * the stack died: their claims are taken over.
 */
export async function downAcrossDueTimes(stack: ReliabilityStack, notices: number): Promise<Figures & { tooLate: number }> {
  const tasks = [];
  const due: { title: string; inMs: number }[] = [];
  for (let i = 0; i < notices; i += 1) {
    // Due from 1 minute to 30 hours after the stack goes down (it stays down 30 hours).
    due.push({ title: titleFor('down', i), inMs: 60_000 + Math.round((i / Math.max(1, notices - 1)) * 30 * 3_600_000) });
  }
  for (const { title, inMs } of due) tasks.push({ id: (await stack.dueTask(title, BOTH, inMs)).id, title });
  // The first notice is mid-send when the stack dies: claimed, never finished.
  stack.crash.arm('after-claim');
  stack.clock.advance(60_000);
  await stack.runDue();
  // Down: nothing fires, nothing is delivered; then the restart loses the in-memory state.
  stack.clock.advance(30 * 3_600_000);
  stack.scheduler.schedules.clear();
  stack.dispatchQueue.clear();
  stack.crash.revive();
  await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 48, graceMinutes: 0, full: true });
  for (let hour = 0; hour < 6; hour += 1) {
    stack.clock.advance(60_000);
    await stack.runDue();
    stack.clock.advance(3_540_000);
    await stack.runDue();
  }
  const figures = await figuresOf(stack, `down for 30 h across ${notices} due times, then restarted`, tasks);
  const tooLate = (await Promise.all(tasks.map(async (t) => (await stack.api.get(`/tasks/${t.id}/deliveries`)).body.items)))
    .flat()
    .filter((d: { reason?: string; code?: string }) => d.reason === 'too-late' || d.code === 'too-late').length;
  return { ...figures, tooLate };
}
