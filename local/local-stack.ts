import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandler } from '../functions/api/app.ts';
import { PUBLIC_ROUTE_KEYS } from '../functions/api/routes.ts';
import { createDispatchHandler } from '../functions/dispatch/app.ts';
import { buildLogger, buildPorts, buildSendingPorts, buildTablePorts, type ClientOverrides } from '../shared/composition.ts';
import { parseConfig, type Config } from '../shared/config.ts';
import type { Clock, Ports, SendingPorts } from '../shared/ports.ts';
import { reconcileSchedules } from '../shared/use-cases/reconcile-schedules.ts';
import { clientsOf, type AwsCallRecorder } from './aws-call-recording.ts';
import { FakeSmsGateway } from './fake-sms-gateway.ts';
import { FaultProxy } from './fault-proxy.ts';
import { createLocalApiGateway, send } from './local-api-gateway.ts';
import { sesInbox, S3RVER_CREDENTIALS, startS3, startSes } from './local-aws-services.ts';
import { dataPaths, DEFAULT_DATA_DIR } from './local-data.ts';
import { createTable, LOCAL_CREDENTIALS, startDynamoDb } from './local-dynamodb.ts';
import { loadLocalJwt, type LocalJwt } from './local-jwt.ts';
import { close, listen, LOOPBACK } from './listen.ts';
import { SchedulerEmulator } from './scheduler-emulator.ts';
import { SecretsManagerEmulator } from './secrets-manager-emulator.ts';

/** ARNs of the local stand-ins: well-formed, in a fake account, never valid on AWS. */
const LOCAL_ARNS = {
  DISPATCH_FUNCTION_ARN: 'arn:aws:lambda:eu-north-1:000000000000:function:frist-dispatch-local',
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
  /** Put a FaultProxy in front of SES and the Scheduler, so tests can make them fail. */
  injectFaults?: boolean;
  /** How many due schedules the Scheduler emulator fires at once (default 8). */
  schedulerConcurrency?: number;
  /**
   * Receives every AWS SDK call of every function, named as on AWS (`api`, `dispatch`,
   * `reconciler`, `ses-events`): the integration tests record them, and test/iam checks
   * each function's role against them.
   */
  recordAwsCalls?: AwsCallRecorder;
}

export interface LocalStack {
  apiUrl: string;
  config: Config;
  /**
   * Each function's own ports (own clients, as on AWS): the api's, dispatch's, the
   * reconciler's and ses-events'. A test that reaches past the API uses the ports of the
   * function whose code makes that call, since the calls are recorded under its name.
   */
  ports: Ports;
  sendingPorts: SendingPorts;
  reconcilerPorts: Ports;
  sesEventsPorts: Pick<Ports, 'store' | 'clock' | 'log'>;
  scheduler: SchedulerEmulator;
  sms: FakeSmsGateway;
  secretsManager: SecretsManagerEmulator;
  sesEndpoint: string;
  /** Present with `injectFaults`: make the SES stand-in and the Scheduler emulator answer with errors. */
  sesFaults?: FaultProxy;
  schedulerFaults?: FaultProxy;
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
  const sesFaults = options.injectFaults ? new FaultProxy(ses.endpoint) : undefined;
  const sesEndpoint = sesFaults ? await sesFaults.start() : ses.endpoint;
  const sms = new FakeSmsGateway();
  const smsUrl = await sms.start();
  const clock = options.clock ?? { now: () => new Date() };
  const secretsManager = new SecretsManagerEmulator(options.persist ? { file: paths.secrets } : {});
  const secretsUrl = await secretsManager.start();

  const config = parseConfig({
    TABLE_NAME: 'frist-local',
    AWS_REGION: 'eu-north-1',
    LOG_LEVEL: 'WARN',
    EMAIL_DEFAULT_FROM: 'varsel@frist.local',
    ...options.env,
    ...LOCAL_ARNS,
    DYNAMODB_ENDPOINT: dynamodb.endpoint,
    SECRETS_MANAGER_ENDPOINT: secretsUrl,
    SES_ENDPOINT: sesEndpoint,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    DOCUMENT_BUCKET: bucket,
    SMS_BASE_URL: smsUrl,
  });
  await createTable(dynamodb.endpoint, config.TABLE_NAME, config.AWS_REGION);

  let dispatch: ReturnType<typeof createDispatchHandler> | undefined;
  const scheduler = new SchedulerEmulator({
    clock,
    groups: [config.SCHEDULE_GROUP],
    region: config.AWS_REGION,
    concurrency: options.schedulerConcurrency,
    invoke: async (arn, input) => {
      if (arn !== LOCAL_ARNS.DISPATCH_FUNCTION_ARN || !dispatch) throw new Error(`no local target ${arn}`);
      await dispatch(input, {} as never);
    },
  });
  const schedulerDirect = await scheduler.start();
  const schedulerFaults = options.injectFaults ? new FaultProxy(schedulerDirect) : undefined;
  const schedulerUrl = schedulerFaults ? await schedulerFaults.start() : schedulerDirect;

  const overrides: ClientOverrides = {
    credentials: {
      dynamodb: LOCAL_CREDENTIALS,
      scheduler: LOCAL_CREDENTIALS,
      ses: LOCAL_CREDENTIALS,
      s3: S3RVER_CREDENTIALS,
      secrets: LOCAL_CREDENTIALS,
    },
    clock,
  };
  const wired = { ...config, SCHEDULER_ENDPOINT: schedulerUrl };
  const ports = buildPorts(wired, clientsOf('api', overrides, options.recordAwsCalls));
  const sendingPorts = buildSendingPorts(wired, clientsOf('dispatch', overrides, options.recordAwsCalls));
  const reconcilerPorts = buildPorts(wired, clientsOf('reconciler', overrides, options.recordAwsCalls));
  const sesEventsPorts = buildTablePorts(wired, clientsOf('ses-events', overrides, options.recordAwsCalls));
  dispatch = createDispatchHandler(sendingPorts);
  let reconcileTimer: NodeJS.Timeout | undefined;
  if (!options.clock) {
    scheduler.tickEvery(1000);
    // The emulator keeps schedules in memory: after a --persist restart the reconciler
    // brings back those of the next two days, and then runs hourly as on AWS.
    const reconcile = () => reconcileSchedules(reconcilerPorts, { horizonHours: 48 }).catch(() => undefined);
    if (options.persist) await reconcile();
    reconcileTimer = setInterval(reconcile, 3_600_000);
    reconcileTimer.unref();
  }

  const jwt = await loadLocalJwt(paths.jwtKey);
  const handler = createApiHandler(ports, {
    tenantClaim: config.TENANT_CLAIM,
    maxBodyBytes: config.MAX_BODY_BYTES,
    logger: buildLogger(config, 'frist-api'),
  });
  const gateway = createLocalApiGateway({
    handler: handler as never,
    jwt,
    publicRouteKeys: PUBLIC_ROUTE_KEYS,
    localRoutes: [
      {
        // Local only: what the SES and SMS stand-ins received. Not a route of the api function.
        matches: (method, path) => method === 'GET' && path === '/_local/outbox',
        handle: async (_request, response) => send(response, 200, await outbox(ses.endpoint, sms)),
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
    scheduler,
    sms,
    secretsManager,
    sesEndpoint: ses.endpoint,
    ...(sesFaults ? { sesFaults } : {}),
    ...(schedulerFaults ? { schedulerFaults } : {}),
    jwt,
    token: (tenantId) => jwt.sign({ [config.TENANT_CLAIM]: tenantId, sub: `local-user@${tenantId}` }),
    stop: async () => {
      await close(gateway);
      if (reconcileTimer) clearInterval(reconcileTimer);
      await scheduler.stop();
      await secretsManager.stop();
      await sms.stop();
      await sesFaults?.stop();
      await schedulerFaults?.stop();
      await ses.stop();
      await s3.stop();
      await dynamodb.stop();
      if (!options.persist) await rm(s3Directory, { recursive: true, force: true });
    },
  };
}

/** The outbox: each e-mail and SMS as the stand-ins received it. */
async function outbox(sesEndpoint: string, sms: FakeSmsGateway) {
  const emails = await sesInbox(sesEndpoint);
  return {
    emails: emails.map((e) => ({
      messageId: e.messageId,
      from: e.from,
      to: e.destination.to,
      subject: e.subject,
      text: e.body.text,
      at: new Date(e.at * 1000).toISOString(),
    })),
    sms: sms.sent.map((m) => ({ id: m.id, from: m.from, to: m.to, text: m.text, reference: m.reference, at: m.receivedAt })),
  };
}
