import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';
import { resources, synth } from './synth.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const clock = new TestClock(new Date('2027-03-01T08:00:00Z'));
let stack: TestStack;
let bundle: string;

beforeAll(async () => {
  const { assembly, json } = synth({ stage: 'dev' });
  const [[, fn]] = resources(json, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('DispatchFunction')) as [[string, any]];
  // The function's code is the asset whose hash names its S3 key.
  const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
  const built = join(assembly.directory, `asset.${hash}`, 'index.mjs');
  // Inside the project, so the AWS SDK (external, as the Lambda runtime provides it) resolves
  // from node_modules the way it resolves from the runtime on AWS.
  mkdirSync(join(ROOT, '.frist'), { recursive: true });
  bundle = join(mkdtempSync(join(ROOT, '.frist', 'bundle-')), 'index.mjs');
  copyFileSync(built, bundle);
  stack = await startTestStack({ clock });
}, 120_000);
afterAll(() => stack?.stop());

describe('the bundled dispatch function', () => {
  it('loads in a fresh Node 24 and sends a notice through the stand-ins', async () => {
    const api = await stack.as('firm-bundle');
    await api.put('/settings', { emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { deadline: '2027-03-01T09:00:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
    const [schedule] = stack.schedulesOf('firm-bundle', task.id);

    const { config } = stack;
    // Asynchronously: the stand-ins answer from this very process.
    const child = await promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(bundle)}); console.log(JSON.stringify(await handler(JSON.parse(process.env.EVENT), {})));`,
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          PATH: process.env.PATH,
          EVENT: JSON.stringify(sqsEvent(schedule!.Target.Input!)),
          AWS_REGION: config.AWS_REGION,
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          TABLE_NAME: config.TABLE_NAME,
          DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT,
          S3_ENDPOINT: config.S3_ENDPOINT,
          S3_FORCE_PATH_STYLE: 'true',
          SES_ENDPOINT: config.SES_ENDPOINT,
          SECRETS_MANAGER_ENDPOINT: config.SECRETS_MANAGER_ENDPOINT,
          DOCUMENT_BUCKET: config.DOCUMENT_BUCKET,
          SMS_BASE_URL: config.SMS_BASE_URL,
          LOG_LEVEL: 'SILENT',
        },
      },
    );
    expect(child.stderr).toBe('');
    // Metrics are on, as on AWS: embedded-metric-format lines first, then the handler's answer.
    const lines = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.at(-1)).toEqual({ batchItemFailures: [] });
    expect(lines.slice(0, -1)).toEqual([
      emf([['service', 'Channel']], { service: 'frist-dispatch', Channel: 'email', NoticeSent: 1 }),
      emf([['service']], { service: 'frist-dispatch', NoticeSent: 1 }),
    ]);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ state: 'sent', documentId: expect.any(String) });
    expect(statSync(bundle).size).toBeLessThan(1_000_000);
  });
});

/** One embedded-metric-format line of one count in Frist's namespace, as CloudWatch Logs reads it. */
function emf(dimensions: string[][], values: Record<string, string | number>) {
  const [name] = Object.keys(values).filter((key) => typeof values[key] === 'number');
  return {
    _aws: { Timestamp: expect.any(Number), CloudWatchMetrics: [{ Namespace: 'Frist', Dimensions: dimensions, Metrics: [{ Name: name, Unit: 'Count' }] }] },
    ...values,
  };
}

/** The event the SQS event source mapping hands dispatch for one message with this body. */
function sqsEvent(body: string) {
  return {
    Records: [
      {
        messageId: 'm-1',
        receiptHandle: 'r-1',
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'scheduler', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-north-1:000000000000:frist-dispatch-local',
        awsRegion: 'eu-north-1',
      },
    ],
  };
}
