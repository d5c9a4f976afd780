import type { PlanView } from '../api/task.schemas.ts';
import type { Channel } from '../domain/model.ts';
import type { Ports } from '../ports.ts';
import { getTask, scheduleState } from './tasks.ts';

/**
 * The task's plan, each occurrence with what its deliveries say: the plan's `state` is about
 * planning (`past` was due before the last save, `stopped` by completion), while `deliveries`
 * tells what was sent, skipped or failed, so an occurrence sent before a re-plan (complete and
 * reopen, say) does not read as "never sent".
 */
export async function getPlan(ports: Ports, tenantId: string, id: string): Promise<PlanView> {
  const task = await getTask(ports, tenantId, id);
  const channels = new Map(task.notices.map((n) => [n.id, n.channels]));
  const records = await ports.store.listDeliveries(tenantId, id);
  const now = ports.clock.now();
  return {
    taskId: task.id,
    status: task.status,
    timeZone: task.plan.timeZone,
    plannedAt: task.plan.plannedAt,
    occurrences: task.plan.occurrences.map((o) => ({
      ...o,
      channels: o.channels ?? channels.get(o.noticeId) ?? [],
      schedule: scheduleState(o, now),
      deliveries: records
        .filter((d) => d.noticeId === o.noticeId && d.occurrenceAt === o.at && d.channel !== 'all' && (!o.channels || o.channels.includes(d.channel)))
        .map((d) => ({
          channel: d.channel as Channel,
          state: d.state === 'claimed' || d.state === 'retrying' ? ('pending' as const) : d.state,
          ...(d.reason ? { reason: d.reason } : {}),
        })),
    })),
  };
}
