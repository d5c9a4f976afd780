import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandler } from '../functions/api/app.ts';
import { PUBLIC_ROUTE_KEYS } from '../functions/api/routes.ts';
import { createDispatchHandler } from '../functions/dispatch/app.ts';
import { createReconcilerHandler } from '../functions/reconciler/app.ts';
import { buildEventPorts, type ClientOverrides, type Telemetry } from '../shared/composition.ts';
import { buildPorts } from '../shared/composition-api.ts';
import { buildSendingPorts } from '../shared/composition-dispatch.ts';
import { buildDeliveryPorts } from '../shared/composition-webhooks.ts';
import { createJobsHandler } from '../functions/jobs/app.ts';
import { createWebhooksHandler, type WebhooksFunctionPorts } from '../functions/webhooks/app.ts';
import { WEBHOOKS_QUEUE } from '../shared/webhooks-queue.ts';
import { WebhookReceiver } from './webhook-receiver.ts';
import { parseConfig, type Config } from '../shared/config.ts';
import type { Clock, Ports, SendingPorts } from '../shared/ports.ts';
import type { FunctionName } from '../shared/telemetry-names.ts';
import { clientsOf, type AwsCallRecorder } from './aws-call-recording.ts';
import { FakeSmsGateway } from './fake-sms-gateway.ts';
import { FaultProxy } from './fault-proxy.ts';
import { limitSesSendRate } from './ses-send-rate.ts';
import { createLocalApiGateway, send } from './local-api-gateway.ts';
import { S3RVER_CREDENTIALS, startS3, startSes } from './local-aws-services.ts';
import { outbox } from './local-outbox.ts';
import { dataPaths, DEFAULT_DATA_DIR } from './local-data.ts';
import { createTable, LOCAL_CREDENTIALS, startDynamoDb } from './local-dynamodb.ts';
import { loadLocalJwt, type LocalJwt } from './local-jwt.ts';
import { close, listen, LOOPBACK } from './listen.ts';
import { SchedulerEmulator } from './scheduler-emulator.ts';
import { SecretsManagerEmulator } from './secrets-manager-emulator.ts';
import { SqsEmulator } from './sqs-emulator.ts';
import { SqsEventSource } from './sqs-event-source.ts';
import type { SqsQueue } from './sqs-queue.ts';
import { schedulerSendsTo, startLocalQueues } from './local-queues.ts';
import { DISPATCH_QUEUE } from '../shared/dispatch-queue.ts';
import { localTelemetry, type RecordedMetrics } from './recorded-metrics.ts';
import { JOBS_QUEUE } from '../shared/jobs-queue.ts';

/** ARNs of the local stand-ins: well-formed, in a fake account, never valid on AWS. */
const LOCAL_ARNS = {
  DISPATCH_QUEUE_ARN: 'arn:aws:sqs:eu-north-1:000000000000:frist-dispatch-local',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/frist-scheduler-local',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-north-1:000000000000:frist-schedules-dlq-local',
};

export interface LocalStackOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  dataDir?: string;
  /** Keep tables and documents on disk in the data folder between runs. */
  persist?: boolean;
  /** Configuration variables on top of the local defaults (the README lists them). */
  env?: Record<string, string | undefined>;
  /**
   * Replaces the wall clock everywhere (planning, dispatch, the Scheduler emulator), so
   * tests move time instead of sleeping. Without it the emulator fires by real time.
   */
  clock?: Clock;
  /** Put a FaultProxy in front of SES, the Scheduler, DynamoDB and S3, so tests can make them fail. */
  injectFaults?: boolean;
  /**
   * The SES stand-in's maximum sending rate (sends a second): above it SendEmail is refused
   * with SES v2's own 429 `TooManyRequestsException` (local/ses-send-rate.ts). `npm start` reads it from
   * `LOCAL_SES_MAX_SEND_RATE`. Undefined: no limit. Changed later with `stack.sesFaults`.
   */
  sesMaxSendRate?: number;
  /**
   * Schedules send through the Scheduler's universal SQS target with the firm as message group,
   * so the dispatch queue is a fair queue (`DISPATCH_FAIR_QUEUE_URL`), as the CDK stack deploys it.
   * On unless `false` (the templated SQS target, without a group: the dispatch queue as before it
   * was fair).
   */
  fairDispatchQueue?: boolean;
  /**
   * Tests only: wrap the ports the api and reconciler (`wrapPorts`) or dispatch
   * (`wrapSendingPorts`) use, to make a step fail or the function die at a chosen point.
   */
  wrapPorts?: (ports: Ports) => Ports;
  wrapSendingPorts?: (ports: SendingPorts) => SendingPorts;
  /** Tests only: wrap the jobs function's ports (a step that crashes, a log the test reads). */
  wrapJobPorts?: (ports: Ports) => Ports;
  /** Tests only: wrap the webhooks function's ports (a crash between a record and the next message). */
  wrapWebhookPorts?: (ports: WebhooksFunctionPorts) => WebhooksFunctionPorts;
  /** Browser origins allowed to call the API (CORS, as the stack's `corsOrigins`): the local web app's. */
  corsOrigins?: readonly string[];
  /**
   * Tests only: the dispatch function's timeout in milliseconds (the stack's is
   * DISPATCH_QUEUE.functionTimeoutSeconds), shorter so a test reaches it without a long wait.
   */
  dispatchTimeoutMs?: number;
  /**
   * Tests only: the api function's timeout in milliseconds (the stack's is
   * API_FUNCTION.timeoutSeconds), shorter so a test reaches it without a long wait.
   */
  apiTimeoutMs?: number;
  /** How many due schedules the Scheduler emulator fires, and dispatch batches run, at once. */
  schedulerConcurrency?: number;
  /**
   * Receives every AWS SDK call of every function, named as on AWS (`api`, `dispatch`,
   * `reconciler`, `ses-events`, `jobs`): the integration tests record them, and test/iam checks
   * each function's role against them.
   */
  recordAwsCalls?: AwsCallRecorder;
  /** Benchmarks only: a server of the caller's in front of DynamoDB (the cost bench meters capacity units with it); returns its endpoint. */
  frontDynamoDb?: (endpoint: string) => Promise<string>;
}

export interface LocalStack {
  apiUrl: string;
  config: Config;
  /**
   * Each function's own ports (own clients, as on AWS): the api's, dispatch's, the
   * reconciler's, ses-events' and the jobs function's. A test that reaches past the API uses
   * the ports of the function whose code makes that call, since the calls are recorded under its name.
   */
  ports: Ports;
  sendingPorts: SendingPorts;
  reconcilerPorts: Ports;
  sesEventsPorts: Pick<Ports, 'store' | 'clock' | 'log' | 'ids' | 'webhooks'>;
  /** The webhooks function's ports. */
  webhookPorts: WebhooksFunctionPorts;
  /** Each function's Powertools Logger and Metrics, shared by its ports and its middleware. */
  telemetry: Record<FunctionName, Telemetry>;
  /** Every metric the functions counted (Powertools prints none locally). */
  metrics: RecordedMetrics;
  /** The jobs function's ports (the background re-plan of a time-zone change). */
  jobPorts: Ports;
  scheduler: SchedulerEmulator;
  /** The dispatch queue, its dead-letter queue, and the event source mapping that feeds dispatch. */
  dispatchQueue: SqsQueue;
  dispatchDeadLetters: SqsQueue;
  dispatchSource: SqsEventSource;
  /** The jobs queue (its dead-letter queue is the dispatch queue's) and the event source mapping that feeds the jobs function. */
  jobsQueue: SqsQueue;
  jobsSource: SqsEventSource;
  /** The webhooks queue (its dead-letter queue is the dispatch queue's) and the event source mapping that feeds the webhooks function. */
  webhooksQueue: SqsQueue;
  webhooksSource: SqsEventSource;
  /** The SQS API in front of the queues: `failNext` makes the functions' sends fail. */
  sqs: SqsEmulator;
  /** Fires the schedules due by the clock and delivers every visible dispatch, jobs and webhooks message. */
  runDue(): Promise<void>;
  sms: FakeSmsGateway;
  /** The fake receiver of the firm's system: the one URL webhooks may call over HTTP on loopback (`WEBHOOK_LOCAL_RECEIVER`). */
  webhookReceiver: WebhookReceiver;
  webhookReceiverUrl: string;
  secretsManager: SecretsManagerEmulator;
  sesEndpoint: string;
  /**
   * Present with `injectFaults`: make the SES, Scheduler, DynamoDB and S3 stand-ins answer with
   * errors. `sesFaults` is there with `sesMaxSendRate` too; its `throttled` counts the refused sends.
   */
  sesFaults?: FaultProxy;
  schedulerFaults?: FaultProxy;
  dynamodbFaults?: FaultProxy;
  s3Faults?: FaultProxy;
  jwt: LocalJwt;
  /** A token for a tenant, signed with the local key. */
  token(tenantId: string): Promise<string>;
  stop(): Promise<void>;
}

/** Everything `npm start` runs, in this process, on loopback. Tests start one per suite. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const paths = dataPaths(dataDir);
  await mkdir(dataDir, { recursive: true });
  const bucket = 'frist-documents-local';
  const s3Directory = options.persist ? join(dataDir, 's3') : join(dataDir, `s3-${process.pid}-${Date.now()}`);

  const dynamodb = await startDynamoDb(options.persist ? { path: paths.dynamodb } : {});
  const s3 = await startS3({ directory: s3Directory, bucket });
  const ses = await startSes();
  const faultProxy = async (endpoint: string, wanted = options.injectFaults) => {
    const proxy = wanted ? new FaultProxy(endpoint) : undefined;
    return { proxy, endpoint: proxy ? await proxy.start() : endpoint };
  };
  const sesFront = await faultProxy(ses.endpoint, options.injectFaults || options.sesMaxSendRate !== undefined);
  if (sesFront.proxy) limitSesSendRate(sesFront.proxy, options.sesMaxSendRate);
  const dynamodbFront = await faultProxy(options.frontDynamoDb ? await options.frontDynamoDb(dynamodb.endpoint) : dynamodb.endpoint);
  const s3Front = await faultProxy(s3.endpoint);
  const sesFaults = sesFront.proxy;
  const sesEndpoint = sesFront.endpoint;
  const sms = new FakeSmsGateway();
  const smsUrl = await sms.start();
  const webhookReceiver = new WebhookReceiver();
  const webhookReceiverUrl = await webhookReceiver.start();
  const clock = options.clock ?? { now: () => new Date() };
  const secretsManager = new SecretsManagerEmulator(options.persist ? { file: paths.secrets } : {});
  const secretsUrl = await secretsManager.start();

  const { dispatchQueue, jobsQueue, webhooksQueue, deadLetters: dispatchDeadLetters, sqs, sqsEndpoint } = await startLocalQueues(clock);
  const config = parseConfig({
    TABLE_NAME: 'frist-local',
    AWS_REGION: 'eu-north-1',
    LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    EMAIL_DEFAULT_FROM: 'varsel@frist.local',
    ...options.env,
    ...LOCAL_ARNS,
    DYNAMODB_ENDPOINT: dynamodbFront.endpoint,
    SECRETS_MANAGER_ENDPOINT: secretsUrl,
    SES_ENDPOINT: sesEndpoint,
    S3_ENDPOINT: s3Front.endpoint,
    SQS_ENDPOINT: sqsEndpoint,
    ...(options.fairDispatchQueue !== false ? { DISPATCH_FAIR_QUEUE_URL: dispatchQueue.url } : {}),
    DISPATCH_QUEUE_URL: dispatchQueue.url,
    JOBS_QUEUE_URL: jobsQueue.url,
    WEBHOOKS_QUEUE_URL: webhooksQueue.url,
    S3_FORCE_PATH_STYLE: 'true',
    DOCUMENT_BUCKET: bucket,
    SMS_BASE_URL: smsUrl,
    WEBHOOK_LOCAL_RECEIVER: webhookReceiverUrl,
  });
  await createTable(dynamodb.endpoint, config.TABLE_NAME, config.AWS_REGION);

  // Scheduler ─SendMessage─> dispatch queue ─event source mapping─> dispatch, as on AWS.
  const scheduler = new SchedulerEmulator({
    clock,
    groups: [config.SCHEDULE_GROUP],
    region: config.AWS_REGION,
    concurrency: options.schedulerConcurrency,
    invoke: schedulerSendsTo(sqs, dispatchQueue),
  });
  const schedulerDirect = await scheduler.start();
  const { proxy: schedulerFaults, endpoint: schedulerUrl } = await faultProxy(schedulerDirect);

  const overrides: ClientOverrides = {
    credentials: {
      dynamodb: LOCAL_CREDENTIALS,
      scheduler: LOCAL_CREDENTIALS,
      ses: LOCAL_CREDENTIALS,
      s3: S3RVER_CREDENTIALS,
      secrets: LOCAL_CREDENTIALS,
      sqs: LOCAL_CREDENTIALS,
    },
    clock,
  };
  const wired = { ...config, SCHEDULER_ENDPOINT: schedulerUrl };
  const { telemetry, metrics, overridesOf } = localTelemetry(wired);
  const forFunction = (fn: FunctionName) => overridesOf(fn, clientsOf(fn, overrides, options.recordAwsCalls));
  const built = buildPorts(wired, forFunction('api'));
  const ports = options.wrapPorts ? options.wrapPorts(built) : built;
  const builtSending = buildSendingPorts(wired, forFunction('dispatch'));
  const sendingPorts = options.wrapSendingPorts ? options.wrapSendingPorts(builtSending) : builtSending;
  const reconcilerPorts = buildPorts(wired, forFunction('reconciler'));
  const sesEventsPorts = buildEventPorts(wired, forFunction('ses-events'));
  const builtWebhooks = buildDeliveryPorts(wired, forFunction('webhooks'));
  const webhookPorts = options.wrapWebhookPorts ? options.wrapWebhookPorts(builtWebhooks) : builtWebhooks;
  const builtJobs = buildPorts(wired, forFunction('jobs'));
  const jobPorts = options.wrapJobPorts ? options.wrapJobPorts(builtJobs) : builtJobs;
  const dispatch = createDispatchHandler(sendingPorts, telemetry.dispatch);
  const dispatchSource = new SqsEventSource({
    queue: dispatchQueue,
    handler: (event, context) => dispatch(event, context),
    batchSize: DISPATCH_QUEUE.batchSize,
    timeoutMs: options.dispatchTimeoutMs ?? DISPATCH_QUEUE.functionTimeoutSeconds * 1000,
    maxConcurrency: options.schedulerConcurrency ?? DISPATCH_QUEUE.maxConcurrency,
  });
  // api, reconciler, jobs ─SendMessage─> jobs queue ─event source mapping─> jobs, one step at a time.
  const jobs = createJobsHandler(jobPorts, telemetry.jobs);
  const jobsSource = new SqsEventSource({
    queue: jobsQueue,
    handler: (event, context) => jobs(event, context),
    batchSize: JOBS_QUEUE.batchSize,
    timeoutMs: JOBS_QUEUE.functionTimeoutSeconds * 1000,
    maxConcurrency: JOBS_QUEUE.maxConcurrency,
  });
  // Every function that publishes an event ─SendMessage─> webhooks queue ─event source mapping─> webhooks.
  const webhooks = createWebhooksHandler(webhookPorts, telemetry.webhooks);
  const webhooksSource = new SqsEventSource({
    queue: webhooksQueue,
    handler: (event, context) => webhooks(event, context),
    batchSize: WEBHOOKS_QUEUE.batchSize,
    timeoutMs: WEBHOOKS_QUEUE.functionTimeoutSeconds * 1000,
    maxConcurrency: WEBHOOKS_QUEUE.maxConcurrency,
  });
  const runDue = async () => {
    await scheduler.runDue();
    await dispatchSource.runDue();
    await jobsSource.runDue();
    await webhooksSource.runDue();
  };
  // The emulator and the queue keep their state in memory: after a --persist restart the
  // reconciler brings back the schedules of the next two days and hands every occurrence
  // whose time came while the stack was down to dispatch (nothing waits in a queue, so no
  // grace); then, by the wall clock, it runs every 15 minutes, as on AWS.
  const reconcile = (graceMinutes: number, event: { full?: boolean } = {}) =>
    createReconcilerHandler(reconcilerPorts, telemetry.reconciler, { horizonHours: 48, graceMinutes })(event, {} as never);
  // The emulator's schedules did not survive the restart, though the tasks' marks say them confirmed: a full run.
  if (options.persist) await reconcile(0, { full: true }).catch(() => undefined);
  let reconcileTimer: NodeJS.Timeout | undefined;
  if (!options.clock) {
    scheduler.tickEvery(1000);
    dispatchSource.pollEvery(1000);
    jobsSource.pollEvery(1000);
    webhooksSource.pollEvery(1000);
    reconcileTimer = setInterval(() => void reconcile(config.RECONCILE_GRACE_MINUTES).catch(() => undefined), 15 * 60_000);
    reconcileTimer.unref();
  }

  const jwt = await loadLocalJwt(paths.jwtKey);
  const handler = createApiHandler(ports, telemetry.api, {
    tenantClaim: config.TENANT_CLAIM,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });
  const gateway = createLocalApiGateway({
    handler: handler,
    jwt,
    publicRouteKeys: PUBLIC_ROUTE_KEYS,
    corsOrigins: () => options.corsOrigins ?? [],
    ...(options.apiTimeoutMs !== undefined ? { timeoutMs: options.apiTimeoutMs } : {}),
    localRoutes: [
      {
        // Local only: what the SES and SMS stand-ins received. Not a route of the api function.
        matches: (method, path) => method === 'GET' && path === '/_local/outbox',
        handle: async (_request, response) => send(response, 200, await outbox(ses.endpoint, sms)),
      },
      {
        // Local only: what the fake receiver of webhooks got, headers and bodies as received.
        matches: (method, path) => method === 'GET' && path === '/_local/webhooks',
        handle: async (_request, response) => send(response, 200, { receiverUrl: webhookReceiverUrl, received: webhookReceiver.received }),
      },
    ],
  });
  const port = await listen(gateway, options.port ?? 0);

  return {
    apiUrl: `http://${LOOPBACK}:${port}`,
    config: wired,
    ports,
    sendingPorts,
    reconcilerPorts,
    sesEventsPorts,
    webhookPorts,
    telemetry,
    metrics,
    jobPorts,
    scheduler,
    dispatchQueue,
    dispatchDeadLetters,
    dispatchSource,
    jobsQueue,
    jobsSource,
    webhooksQueue,
    webhooksSource,
    sqs,
    runDue,
    sms,
    webhookReceiver,
    webhookReceiverUrl,
    secretsManager,
    sesEndpoint: ses.endpoint,
    ...(sesFaults ? { sesFaults } : {}),
    ...(schedulerFaults ? { schedulerFaults } : {}),
    ...(dynamodbFront.proxy ? { dynamodbFaults: dynamodbFront.proxy } : {}),
    ...(s3Front.proxy ? { s3Faults: s3Front.proxy } : {}),
    jwt,
    token: (tenantId) => jwt.sign({ [config.TENANT_CLAIM]: tenantId, sub: `local-user@${tenantId}` }),
    stop: async () => {
      await close(gateway);
      if (reconcileTimer) clearInterval(reconcileTimer);
      await scheduler.stop();
      await dispatchSource.stop();
      await jobsSource.stop();
      await webhooksSource.stop();
      await sqs.stop();
      await secretsManager.stop();
      await sms.stop();
      await webhookReceiver.stop();
      await sesFaults?.stop();
      await schedulerFaults?.stop();
      await dynamodbFront.proxy?.stop();
      await s3Front.proxy?.stop();
      await ses.stop();
      await s3.stop();
      await dynamodb.stop();
      if (!options.persist) await rm(s3Directory, { recursive: true, force: true });
    },
  };
}
