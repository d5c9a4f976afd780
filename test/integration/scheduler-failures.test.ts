import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-scheduler-faults';
const clock = new TestClock(new Date('2027-04-01T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customerId: string;

const schedulesOf = (taskId: string) => stack.schedulesOf(TENANT, taskId);

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as(TENANT);
  customerId = (await createCustomer(api)).id;
});
afterAll(() => stack.stop());

describe('when the Scheduler fails', () => {
  it('fails a create with 503, writes no task, and a retry creates it once', async () => {
    stack.schedulerFaults!.failNext(500, 'InternalServerException', 10);
    const body = { title: 'Skal feile', customerId, deadline: '2027-05-01', notices: [emailNotice()] };
    const failed = await api.post('/tasks', body);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    expect(failed.body).toMatchObject({ status: 503, detail: 'the scheduler is unavailable; retry shortly' });
    expect((await api.get('/tasks')).body.items.filter((t: { title: string }) => t.title === 'Skal feile')).toEqual([]);
    stack.schedulerFaults!.clear();

    const retried = await api.post('/tasks', body);
    expect(retried.status).toBe(201);
    expect(schedulesOf(retried.body.id)).toHaveLength(1);
  });

  it('fails an update with 503 and keeps the stored task; the same update then succeeds', async () => {
    const task = await createTask(api, customerId, { deadline: '2027-05-01' });
    stack.schedulerFaults!.failNext(503, 'ServiceUnavailableException', 10);
    const update = {
      title: 'MVA-melding',
      customerId,
      deadline: '2027-06-01',
      notices: [{ ...emailNotice(), id: task.notices[0]!.id }],
      version: task.version,
    };
    expect((await api.put(`/tasks/${task.id}`, update)).status).toBe(503);
    expect((await api.get(`/tasks/${task.id}`)).body).toMatchObject({ version: 1, deadline: '2027-05-01' });
    stack.schedulerFaults!.clear();

    expect((await api.put(`/tasks/${task.id}`, update)).status).toBe(200);
    expect(schedulesOf(task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-05-29T07:00:00)']);
  });
});

describe('the Scheduler emulator speaks errors the SDK understands', () => {
  let client: SchedulerClient;
  beforeAll(() => {
    client = new SchedulerClient({ region: 'eu-north-1', endpoint: stack.config.SCHEDULER_ENDPOINT, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  const schedule = (name: string, expression = 'at(2030-01-01T00:00:00)') =>
    new CreateScheduleCommand({
      Name: name,
      GroupName: 'frist',
      ScheduleExpression: expression,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: stack.config.DISPATCH_QUEUE_ARN!, RoleArn: stack.config.SCHEDULER_ROLE_ARN!, Input: '{}' },
    });

  it('ConflictException for a name that exists', async () => {
    await client.send(schedule('twice'));
    await expect(client.send(schedule('twice'))).rejects.toBeInstanceOf(ConflictException);
  });

  it('ResourceNotFoundException for a schedule that does not exist', async () => {
    await expect(client.send(new GetScheduleCommand({ Name: 'never', GroupName: 'frist' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('ValidationException for an expression it does not take', async () => {
    const error = await client.send(schedule('bad', 'rate(5 minutes)')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toMatch(/at\(\) only/);
  });
});
