import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../../functions/api/docs-page.ts';
import { readViewerFile, VIEWER_FILES, VIEWER_PACKAGE } from '../../functions/api/docs-viewer.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { queuedMessageOf, startTestStack, type TestStack } from '../integration/harness.ts';
import { resources, synth } from './synth.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const clock = new TestClock(new Date('2027-03-01T08:00:00Z'));
let stack: TestStack;
let bundle: string;
let apiAsset: string;

beforeAll(async () => {
  const { assembly, json } = synth({ stage: 'dev' });
  /** A function's code: the asset folder whose hash names its S3 key. */
  const assetOf = (prefix: string) => {
    const [[, fn]] = resources(json, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(prefix)) as [[string, any]];
    return join(assembly.directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  };
  // Inside the project, so the AWS SDK (external, as the Lambda runtime provides it) resolves
  // from node_modules the way it resolves from the runtime on AWS.
  mkdirSync(join(ROOT, '.frist'), { recursive: true });
  bundle = join(mkdtempSync(join(ROOT, '.frist', 'bundle-')), 'index.mjs');
  copyFileSync(join(assetOf('DispatchFunction'), 'index.mjs'), bundle);
  // The whole asset, outside the project: the viewer's files can only come from the asset's
  // own node_modules, as on AWS; only the SDK is linked in, as the runtime provides it.
  apiAsset = mkdtempSync(join(tmpdir(), 'frist-api-asset-'));
  cpSync(assetOf('ApiFunction'), apiAsset, { recursive: true });
  mkdirSync(join(apiAsset, 'node_modules'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', '@aws-sdk'), join(apiAsset, 'node_modules', '@aws-sdk'));
  stack = await startTestStack({ clock });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  if (apiAsset) rmSync(apiAsset, { recursive: true, force: true });
});

describe('the bundled dispatch function', () => {
  it('loads in a fresh Node 24 and sends a notice through the stand-ins', async () => {
    const api = await stack.as('firm-bundle');
    await api.put('/settings', { emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { deadline: '2027-03-01T09:00:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
    const [schedule] = stack.schedulesOf('firm-bundle', task.id);

    const { config } = stack;
    // Metrics are on, as on AWS: embedded-metric-format lines first, then the handler's answer.
    const lines = await runBundle(bundle, [sqsEvent(queuedMessageOf(schedule!))], {
      AWS_REGION: config.AWS_REGION,
      TABLE_NAME: config.TABLE_NAME,
      DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT,
      S3_ENDPOINT: config.S3_ENDPOINT,
      S3_FORCE_PATH_STYLE: 'true',
      SES_ENDPOINT: config.SES_ENDPOINT,
      SECRETS_MANAGER_ENDPOINT: config.SECRETS_MANAGER_ENDPOINT,
      DOCUMENT_BUCKET: config.DOCUMENT_BUCKET,
      SMS_BASE_URL: config.SMS_BASE_URL,
      SQS_ENDPOINT: config.SQS_ENDPOINT,
      WEBHOOKS_QUEUE_URL: config.WEBHOOKS_QUEUE_URL,
    });
    expect(lines.at(-1)).toEqual({ batchItemFailures: [] });
    expect(lines.slice(0, -1)).toEqual([
      emf([['service', 'Channel']], { service: 'frist-dispatch', Channel: 'email', NoticeSent: 1 }),
      emf([['service']], { service: 'frist-dispatch', NoticeSent: 1 }),
    ]);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ state: 'sent', documentId: expect.any(String) });
    expect(statSync(bundle).size).toBeLessThan(1_000_000);
  });

  it('fails its import on a missing or malformed variable it reads, naming it', async () => {
    const env = {
      AWS_REGION: 'eu-north-1',
      TABLE_NAME: 'frist',
      DOCUMENT_BUCKET: 'frist-documents',
      WEBHOOKS_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/0/webhooks',
    };
    const stderrOf = (variables: Record<string, string>) =>
      runBundle(bundle, [], variables).then(
        () => 'imported',
        (error: { stderr: string }) => error.stderr,
      );
    expect(await stderrOf(env)).toContain('Error: Invalid configuration: SMS_BASE_URL is required here');
    expect(await stderrOf({ ...env, SMS_BASE_URL: 'sms.example.com' })).toMatch(/Error: Invalid configuration: SMS_BASE_URL: \S/);
    expect(await stderrOf({ ...env, SMS_BASE_URL: 'https://sms.example.com', TABLE_NAME: '' })).toMatch(/Error: Invalid configuration: TABLE_NAME: \S/);
    // One variable of each other kind of check dispatch makes (shared/config.ts), malformed.
    const malformed = {
      SES_TIMEOUT_MS: ['10001', 'SES_TIMEOUT_MS: Too big: expected number to be <=10000'],
      SMS_MAX_SEGMENTS: ['2.5', 'SMS_MAX_SEGMENTS: Invalid input: expected int, received number'],
      PACK_TASK_NOTICES: ['yes', 'PACK_TASK_NOTICES: Invalid option: expected one of "true"|"false"'],
      SMS_PROVIDER: ['other', 'SMS_PROVIDER: Invalid option: expected one of "generic"|"sveve"'],
      SECRETS_PREFIX: ['a prefix', 'SECRETS_PREFIX: Invalid string: must match pattern'],
      EMAIL_DEFAULT_FROM: ['nobody', 'EMAIL_DEFAULT_FROM: Invalid email address'],
      SMS_CEILING_COUNTRIES: ['NO,NOR', 'SMS_CEILING_COUNTRIES.1: must be ISO 3166 country codes'],
      SMS_DEFAULT_SENDER: ['123456789012', 'SMS_DEFAULT_SENDER: Too big: expected string to have <=11 characters'],
      // Blank, which Number() reads as 0: refused, not a cap of 0 (docs/decisions.md, "Blank is not zero").
      SMS_DEPLOYMENT_PER_DAY: [' ', 'SMS_DEPLOYMENT_PER_DAY: Invalid input: expected int from 1 to 10000000, received blank string'],
    };
    for (const [name, [value, message]] of Object.entries(malformed)) {
      expect(await stderrOf({ ...env, SMS_BASE_URL: 'https://sms.example.com', [name]: value }), name).toContain(`Error: Invalid configuration: ${message}`);
    }
  });
});

describe('the bundled api function', () => {
  it('loads a route group on its first request, and every group for the OpenAPI document', async () => {
    const [health, tasks, openapi, unknown] = await callApiBundle(['/health', '/tasks', '/openapi.json', '/nothing']);
    expect(health).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(health!.body!)).toEqual({ status: 'ok' });
    expect(tasks!.statusCode).toBe(401);
    const document = JSON.parse(openapi!.body!) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/tasks', '/templates/{id}/apply', '/imports', '/webhooks/{id}']));
    expect(unknown!.statusCode).toBe(404);
  });

  it("answers GET /docs with the page, and each file the page loads with the viewer's own bytes", async () => {
    const page = await callApiBundle(['/docs']);
    expect(page[0]).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DOCS_CSP } });
    const links = [...String(page[0]!.body).matchAll(/(?:src|href)="(docs\/[^"]+)"/g)].map((m) => `/${m[1]}`);
    expect(links).toHaveLength(3);

    const files = await callApiBundle(links, { 'accept-encoding': 'gzip' });
    const served = Object.fromEntries(links.map((link, i) => [new URL(link, 'http://x').pathname, files[i]!]));
    for (const [path, name] of [
      ['/docs/swagger-ui-bundle.js', VIEWER_FILES.script],
      ['/docs/swagger-ui.css', VIEWER_FILES.style],
    ] as const) {
      const answer = served[path]!;
      expect(answer.statusCode, path).toBe(200);
      expect(answer.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(Buffer.from(String(answer.body), 'base64')).equals(await readViewerFile(name)), path).toBe(true);
    }
    expect(served['/docs/start.js']).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' } });
    expect(statSync(join(apiAsset, 'node_modules', VIEWER_PACKAGE, 'LICENSE')).isFile()).toBe(true);
  });
});

interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Calls the api bundle's handler in a fresh Node 24 (from its asset folder, see beforeAll) with
 * a GET of each path, as API Gateway's payload 2.0, and returns its answers.
 */
async function callApiBundle(paths: string[], headers: Record<string, string> = {}): Promise<HttpAnswer[]> {
  const events = paths.map((path) => {
    const url = new URL(path, 'http://x');
    const query = Object.fromEntries(url.searchParams);
    return {
      version: '2.0',
      routeKey: `GET ${url.pathname}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      requestContext: {
        http: { method: 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
        requestId: 'r-1',
        stage: '$default',
      },
      isBase64Encoded: false,
    };
  });
  // The local stack's whole configuration: the api function builds all its ports at cold start.
  const config = Object.fromEntries(Object.entries(stack.config).map(([name, value]) => [name, value === undefined ? undefined : String(value)]));
  return (await runBundle(join(apiAsset, 'index.mjs'), events, config)) as HttpAnswer[];
}

/**
 * Runs a bundle's handler in a fresh Node 24 over each event in turn, asynchronously (the
 * stand-ins answer from this very process), and returns the JSON lines it printed: any
 * metrics, and the handler's answer to each event.
 */
async function runBundle(file: string, events: unknown[], env: NodeJS.ProcessEnv): Promise<unknown[]> {
  const child = await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { handler } = await import(${JSON.stringify(file)});
       // Each event with a context as Lambda gives it: its remaining time counts down (30 s).
       const context = (endsAt) => ({ awsRequestId: 'r-1', functionName: 'bundle', getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()) });
       for (const event of JSON.parse(process.env.EVENTS)) console.log(JSON.stringify(await handler(event, context(Date.now() + 30000))));`,
    ],
    {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...env,
        PATH: process.env.PATH,
        EVENTS: JSON.stringify(events),
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        LOG_LEVEL: 'SILENT',
      },
    },
  );
  expect(child.stderr).toBe('');
  return child.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** One embedded-metric-format line of one count in Frist's namespace, as CloudWatch Logs reads it. */
function emf(dimensions: string[][], values: Record<string, string | number>) {
  const [name] = Object.keys(values).filter((key) => typeof values[key] === 'number');
  return {
    _aws: { Timestamp: expect.any(Number), CloudWatchMetrics: [{ Namespace: 'Frist', Dimensions: dimensions, Metrics: [{ Name: name, Unit: 'Count' }] }] },
    ...values,
  };
}

/** The event the SQS event source mapping hands dispatch for one message with this body. */
/** The record Lambda's event source mapping hands dispatch for the message (its group among the attributes, as on a fair queue). */
function sqsEvent({ body, groupId }: { body: string; groupId?: string }) {
  return {
    Records: [
      {
        messageId: 'm-1',
        receiptHandle: 'r-1',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'scheduler',
          ApproximateFirstReceiveTimestamp: '0',
          ...(groupId ? { MessageGroupId: groupId } : {}),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-north-1:000000000000:frist-dispatch-local',
        awsRegion: 'eu-north-1',
      },
    ],
  };
}
