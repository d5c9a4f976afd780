import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ports } from '../../shared/ports.ts';
import { TestClock } from '../integration/clock.ts';
import { emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';
import { firmWithTasks } from '../integration/jobs-harness.ts';

// Two applies with one Idempotency-Key but different bodies, at the same moment: the first
// writes its job's input, the second writes its own input before the first has created the
// job item, the first creates the job, the second is refused (409). The job must run the
// first request's input, not the second's.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const TENANT = 'firm-key-race';
let stack: TestStack;
let api: ApiClient;
let taskIds: string[];

/** The first createJob waits until a second one starts (the second request has written its input); the second waits for the first. */
class CreateJobGate {
  armed = false;
  private secondStarted?: () => void;
  private firstDone?: Promise<unknown>;

  readonly wrap = (ports: Ports): Ports => {
    const store = Object.assign(Object.create(ports.store) as Ports['store'], {
      createJob: async (...args: Parameters<Ports['store']['createJob']>) => {
        if (!this.armed) return ports.store.createJob(...args);
        if (!this.firstDone) {
          const started = new Promise<void>((resolve) => (this.secondStarted = resolve));
          this.firstDone = started.then(() => ports.store.createJob(...args));
          return this.firstDone;
        }
        this.armed = false;
        this.secondStarted!();
        await this.firstDone.catch(() => undefined);
        return ports.store.createJob(...args);
      },
    });
    return { ...ports, store };
  };
}
const gate = new CreateJobGate();

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapPorts: gate.wrap });
  ({ api, taskIds } = await firmWithTasks(stack, TENANT, 4));
}, 60_000);
afterAll(() => stack.stop());

describe('one Idempotency-Key, two different applies at once', () => {
  it("runs the job of the request that created it, with that request's template and tasks", async () => {
    const weekBefore = (await api.post('/templates', { name: 'Uke', notices: [emailNotice({ offset: 'P7D' })] })).body;
    const dayBefore = (await api.post('/templates', { name: 'Dag', notices: [emailNotice({ offset: 'P1D' })] })).body;
    clock.advance(1000);
    const [first, other] = [taskIds[0]!, taskIds[1]!];

    gate.armed = true;
    const send = (templateId: string, ids: string[]) =>
      api.call('POST', `/templates/${templateId}/apply`, { taskIds: ids }, { 'idempotency-key': 'same-key-other-body' });
    const [a, b] = await Promise.all([send(weekBefore.id, [first]), send(dayBefore.id, [other])]);
    expect([a.status, b.status]).toEqual([202, 409]);
    await stack.jobsSource.runDue();

    expect((await api.get(`/jobs/${a.body.id}`)).body).toMatchObject({ state: 'done', template: { id: weekBefore.id }, total: 1, done: 1 });
    const applied = (await api.get(`/tasks/${first}`)).body;
    expect(applied.template).toMatchObject({ id: weekBefore.id });
    expect(applied.notices.map((n: { offset: string }) => n.offset)).toEqual(['P7D']);
    // The refused request's task is as it was.
    const untouched = (await api.get(`/tasks/${other}`)).body;
    expect(untouched).toMatchObject({ version: 1 });
    expect(untouched.template).toBeUndefined();
  });
});
