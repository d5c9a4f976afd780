import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * Notices sent back without their ids are matched to the stored ones by content. Here in the
 * orders a form or a script may send them: reordered, reordered with one of them changed, and
 * twins reordered around a third. Each notice keeps the id (and so the schedules) of the stored
 * notice it equals wherever it now stands; only a changed one costs Scheduler calls.
 */
const clock = new TestClock(new Date('2030-03-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customerId: string;
const calls: AwsCall[] = [];

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: (fn, call) => fn === 'api' && calls.push(call) });
  api = await stack.as('firm-notices-by-content');
  customerId = (await createCustomer(api)).id;
}, 60_000);
afterAll(() => stack.stop());

type Notice = { id: string; offset: string; message: string };
const early = () => emailNotice({ offset: 'P5D', message: 'Tidlig' });
const late = () => emailNotice({ offset: 'P1D', message: 'Sent' });
const withoutIds = (notices: Notice[]) => notices.map(({ id: _id, ...rest }) => rest);

/** Saves `notices` over the task as read; the answer's notices and the Scheduler calls it made. */
async function save(task: Record<string, unknown> & { id: string }, notices: unknown[]) {
  calls.length = 0;
  const { title, deadline, version } = task;
  const res = await api.put(`/tasks/${task.id}`, { title, customerId, deadline, notices, version });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { notices: res.body.notices as Notice[], scheduler: calls.filter((c) => c.command.endsWith('ScheduleCommand')).map((c) => c.command) };
}

it('reordered: each keeps its id in its new place, no schedule touched', async () => {
  const task = await createTask(api, customerId, { deadline: '2030-04-01', notices: [early(), late()] });
  const [a, b] = task.notices as Notice[];
  const saved = await save(task, withoutIds([b!, a!]));
  expect(saved.notices.map((n) => n.id)).toEqual([b!.id, a!.id]);
  expect(saved.scheduler).toEqual([]);
});

it('reordered with one changed: the unchanged keeps its id, the changed is new (one create, one delete)', async () => {
  const task = await createTask(api, customerId, { deadline: '2030-04-01', notices: [early(), late()] });
  const [a, b] = task.notices as Notice[];
  const saved = await save(task, [{ ...withoutIds([b!])[0], offset: 'P2D' }, ...withoutIds([a!])]);
  expect(saved.notices[1]!.id).toBe(a!.id);
  expect([a!.id, b!.id]).not.toContain(saved.notices[0]!.id);
  expect(saved.scheduler.sort()).toEqual(['CreateScheduleCommand', 'DeleteScheduleCommand']);
});

it('twins reordered around a third: the three stored ids, no schedule touched', async () => {
  const task = await createTask(api, customerId, { deadline: '2030-04-01', notices: [early(), early(), late()] });
  const stored = task.notices as Notice[];
  const saved = await save(task, withoutIds([stored[0]!, stored[2]!, stored[1]!]));
  expect(saved.notices.map((n) => n.id).sort()).toEqual(stored.map((n) => n.id).sort());
  expect(saved.notices[1]!.id).toBe(stored[2]!.id);
  expect(saved.scheduler).toEqual([]);
});
