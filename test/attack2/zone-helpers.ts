import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import type { AttackStack } from '../attack/attack-stack.ts';
import { TENANT } from '../attack/attack-stack.ts';

/**
 * Helpers for the zone-change attacks: the settings body the attack stack starts with, a
 * change of zone through the API, and a clock that walks on in 15-minute steps as AWS
 * would run things: the reconciler (every 15 minutes, horizon 3 h, grace 15 min, as deployed),
 * then the Scheduler, dispatch and the jobs queue.
 */
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export async function changeZone(stack: AttackStack, timeZone: string) {
  const current = (await stack.api.get('/settings')).body;
  return stack.api.put('/settings', {
    firm: { name: 'Tall og Tid' },
    emailSender: { from: 'varsel@tallogtid.example' },
    smsAccount: { username: 'tallogtid' },
    timeZone,
    version: current.version,
  });
}

export function reconcilerOf(stack: AttackStack) {
  const handler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 });
  return () => handler({}, {} as never);
}

/**
 * Walks the clock to `until` in 15-minute steps, running the reconciler and then everything
 * due at each step, and returns when each e-mail with `subject` first showed in the outbox.
 */
export async function walkUntil(stack: AttackStack, until: string, subject: string): Promise<string[]> {
  const reconcile = reconcilerOf(stack);
  const seenAt: string[] = [];
  const end = Date.parse(until);
  for (let t = stack.clock.now().getTime(); t <= end; t += 15 * 60_000) {
    stack.clock.set(iso(t));
    await reconcile();
    await stack.runDue();
    const count = (await stack.outbox()).emails.filter((e) => e.subject === subject).length;
    while (seenAt.length < count) seenAt.push(iso(t));
  }
  return seenAt;
}

export async function planZone(stack: AttackStack, taskId: string): Promise<string | undefined> {
  return (await stack.ports.store.getTask(TENANT, taskId))?.plan.timeZone;
}

export function dateNotice(subject: string) {
  return [{ when: 'before', offset: 'PT0S', sendAt: '09:00', channels: ['email'], subject, message: 'Husk {{task.title}}.' }];
}
