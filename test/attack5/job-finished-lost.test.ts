import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import type { Ports } from '../../shared/ports.ts';
import { TestClock } from '../integration/clock.ts';
import { emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';
import { firmWithTasks } from '../integration/jobs-harness.ts';

// The step that ends an apply job writes `done`, then publishes job.finished. If the function
// dies, or SQS refuses, between the two, a copy of the step finds the job ended and does
// nothing: the firm's system would never hear that the job finished. The reconciler must
// tell it later, once, and every copy must carry the same webhook-id.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const TENANT = 'firm-untold-end';
let stack: TestStack;
let api: ApiClient;
let taskIds: string[];
let failJobFinished = 0;

const losingJobFinished = (ports: Ports): Ports => {
  const queue = ports.webhooks.queue;
  return {
    ...ports,
    webhooks: {
      ...ports.webhooks,
      queue: {
        send: async (message, delay) => {
          if (message.kind === 'event' && message.event.type === 'job.finished' && failJobFinished-- > 0) throw new Error('the function died here');
          return queue.send(message, delay);
        },
        sendBatch: (messages) => queue.sendBatch(messages),
      },
    },
  };
};

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: losingJobFinished });
  ({ api, taskIds } = await firmWithTasks(stack, TENANT, 3));
}, 60_000);
afterAll(() => stack.stop());

const reconcile = () => createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 })({}, {} as never);
const jobEvents = () =>
  stack.webhookReceiver.received.map((r) => ({ id: r.headers['webhook-id'], ...(JSON.parse(r.body) as { type: string; data: Record<string, unknown> }) }));

describe('job.finished when the end could not be told at once', () => {
  it('is published by the reconciler after a quarter of an hour, once, with the counts', async () => {
    const webhook = (await api.post('/webhooks', { url: `${stack.webhookReceiverUrl}/frist`, eventTypes: ['job.finished'] })).body;
    const template = (await api.post('/templates', { name: 'Uke', notices: [emailNotice({ offset: 'P7D' })] })).body;
    clock.advance(1000);
    failJobFinished = 1;
    const job = (await api.post(`/templates/${template.id}/apply`, { taskIds })).body;
    await stack.runDue();
    expect((await api.get(`/jobs/${job.id}`)).body).toMatchObject({ state: 'done', done: 3 });
    expect(jobEvents()).toEqual([]);

    clock.advance(16 * 60_000);
    await reconcile();
    await stack.runDue();
    clock.advance(16 * 60_000);
    await reconcile();
    await stack.runDue();

    const events = jobEvents();
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^evt_/),
        type: 'job.finished',
        timestamp: expect.any(String),
        data: { jobId: job.id, kind: 'apply-template', state: 'done', done: 3, skipped: 0, failed: 0 },
      },
    ]);
    const deliveries = (await api.get(`/webhooks/${webhook.id}/deliveries`)).body.items;
    expect(deliveries).toMatchObject([{ eventId: events[0]!.id, state: 'delivered' }]);
  });
});
