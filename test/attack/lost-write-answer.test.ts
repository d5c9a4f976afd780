import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHook, fireAndHoldAtProvider, startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * ATTACK: DynamoDB carries out the task's conditional PutItem, but its answer is lost on the
 * network (a reset after the request went out). The SDK retries by itself (AWS SDKs "implement
 * retry logic automatically", DynamoDB Developer Guide, "Error handling with DynamoDB"); the
 * retried PutItem meets its own write, `version = :expected` fails, and the api answers
 * 409. Yet the task *was* written, and the schedules created for it are kept, because the
 * clean-up asks the stored plan, which is the new one.
 *
 * Promise: "a 4xx/5xx save changes nothing that fires"; "once POST /tasks/{id}/complete ...
 * answered 2xx, no provider call for the removed occurrences starts except those reported in
 * the answer's inFlight".
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

const loseNextPutTaskAnswer = () => addHook(stack.apiHooks, 'putTask', () => stack.dynamodbFaults!.loseResponseNext(1));

describe('a task write whose answer is lost', () => {
  it('an update whose write was carried out but whose answer was lost answers 200 with what was stored, and its notice goes out', async () => {
    const task = await stack.dueTask('Bilag mai', ['email'], 3 * 86_400_000);
    const notices = [
      ...task.notices.map(({ id, when, offset, channels, subject, message }: any) => ({ id, when, offset, channels, subject, message })),
      { when: 'before', offset: 'P2D', channels: ['email'], subject: 'Ny: {{task.title}}', message: 'Ny frist for {{task.title}}.' },
    ];
    loseNextPutTaskAnswer();
    const answer = await stack.api.put(`/tasks/${task.id}`, {
      title: task.title,
      customerId: stack.customerId,
      deadline: task.deadline,
      notices,
      version: task.version,
    });
    const stored = await stack.ports.store.getTask(TENANT, task.id);
    expect({ status: answer.status, version: answer.body.version, notices: answer.body.notices.length }).toEqual({
      status: 200,
      version: stored!.version,
      notices: stored!.notices.length,
    });
    expect(stored!.version).toBe(task.version + 1);

    // Let the added notice's time come (one day from now): it goes out, as the answer said.
    stack.clock.advance(86_400_000 + 60_000);
    await stack.runDue();
    expect((await stack.outbox()).emails.filter((e) => e.subject === 'Ny: Bilag mai')).toHaveLength(1);
  });

  it('the only 2xx answer of a completion must report the send that starts after it', async () => {
    const title = 'Lonn mai';
    const task = await stack.dueTask(title, ['email'], 60_000);
    // Dispatch claims, reads the task again (still open), and is about to call SES.
    const { firing, release } = await fireAndHoldAtProvider(stack);

    // The firm completes the task; DynamoDB writes it but the answer is lost, and the SDK's
    // retry meets the write it carried out: the completion still answers 200.
    loseNextPutTaskAnswer();
    const first = await stack.api.post(`/tasks/${task.id}/complete`);
    const answeredAt = performance.now();
    // The firm's HTTP client tries again: 200, with the send under way again.
    const second = await stack.api.post(`/tasks/${task.id}/complete`);
    release.open();
    await firing;

    const late = stack.providerCalls.filter((c) => c.text.includes(title) && c.startedAt > answeredAt);
    expect([first.status, second.status]).toEqual([200, 200]);
    // Every provider call that started after a 2xx answer is in that answer's inFlight.
    for (const answer of [first, second]) {
      const reported = (answer.body.inFlight ?? []).map((f: { channel: string }) => f.channel);
      expect(late.map((c) => c.channel).filter((c) => !reported.includes(c))).toEqual([]);
    }
  });

  it('a retried POST /tasks whose first write was carried out must not leave two tasks that both send', async () => {
    const before = (await stack.api.get('/tasks?limit=100')).body.items.length;
    loseNextPutTaskAnswer();
    const deadline = new Date(stack.clock.now().getTime() + 2 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const body = {
      title: 'Årsoppgjør',
      customerId: stack.customerId,
      deadline,
      notices: [{ when: 'before', offset: 'PT1H', channels: ['email'], subject: 'Frist: Årsoppgjør', message: 'Husk årsoppgjøret.' }],
    };
    const first = await stack.api.post('/tasks', body);
    // A 4xx/5xx create changes nothing, so the client creates the task again.
    const retry = first.status >= 400 ? await stack.api.post('/tasks', body) : first;
    expect(retry.status).toBe(201);
    stack.clock.advance(3_600_000 + 60_000);
    await stack.runDue();
    const after = (await stack.api.get('/tasks?limit=100')).body.items.length;
    const sent = (await stack.outbox()).emails.filter((e) => e.subject === 'Frist: Årsoppgjør').length;
    expect({ first: first.status, tasksCreated: after - before, sent }).toEqual({ first: first.status, tasksCreated: 1, sent: 1 });
  });

  it('an update whose deliveries cannot be read after its write answers 200 and says it could not list the sends under way', async () => {
    const task = await stack.dueTask('Flyttet', ['email'], 3 * 86_400_000);
    // The task write lands; the consistent Query of its deliveries that follows (settleRemoved)
    // meets DynamoDB 500s on every try of the SDK.
    addHook(stack.apiHooks, 'listDeliveries', () => stack.dynamodbFaults!.failNext(500, 'InternalServerError', 10));
    const moved = await stack.api.put(`/tasks/${task.id}`, {
      title: task.title,
      customerId: stack.customerId,
      deadline: task.deadline,
      notices: [
        { id: task.notices[0].id, when: 'before', offset: 'P2D', channels: ['email'], subject: 'Frist: {{task.title}}', message: 'Husk {{task.title}}.' },
      ],
      version: task.version,
    });
    stack.dynamodbFaults!.clear();
    const stored = await stack.ports.store.getTask(TENANT, task.id);
    // Never an error after the commit: the change stands, and the answer says so.
    expect({ status: moved.status, version: moved.body.version, unknown: moved.body.inFlightUnknown }).toEqual({
      status: 200,
      version: stored!.version,
      unknown: true,
    });
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual([`at(${stored!.plan.occurrences[0]!.at.slice(0, 19)})`]);
  });
});
