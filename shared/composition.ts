import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { randomBytes } from 'node:crypto';
import { observeCalls, type AwsCall } from './adapters/call-observer.ts';
import { SecretsManagerStore } from './adapters/secrets-manager.adapter.ts';
import { createDynamoDbClient, DynamoDbStore } from './adapters/dynamodb-store.ts';
import { S3Archive } from './adapters/s3-archive.adapter.ts';
import { EventBridgeScheduler } from './adapters/scheduler.adapter.ts';
import { createSesClient, SesMailer } from './adapters/ses-mailer.adapter.ts';
import { GenericHttpSmsGateway, SveveSmsGateway } from './adapters/sms-gateway.adapter.ts';
import { PowertoolsMetricsAdapter } from './adapters/powertools-metrics.adapter.ts';
import { handOnMetricsSwitch, required, type Config } from './config.ts';
import type { Clock, IdGenerator, MetricName, Metrics, Ports, SecretStore, SendingPorts, Store } from './ports.ts';
import { METRICS_NAMESPACE, serviceOf, type FunctionName } from './telemetry-names.ts';
import { createSqsClient, SqsJobQueue } from './adapters/sqs-job-queue.adapter.ts';
import type { JobQueue } from './job-ports.ts';
import { SqsWebhookQueue } from './adapters/sqs-webhook-queue.adapter.ts';
import { SafeWebhookSender } from './adapters/webhook-sender.adapter.ts';
import type { WebhookPorts } from './webhook-ports.ts';
import { WEBHOOKS_QUEUE } from './webhooks-queue.ts';

/** Crockford's base32: no i, l, o, u, so an id read aloud or retyped stays unambiguous. */
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 16 characters, 80 random bits: short enough to build Scheduler names from. */
export const randomIds: IdGenerator = {
  newId: () => [...randomBytes(16)].map((byte) => ID_ALPHABET[byte % 32]).join(''),
};

type Credentials = { accessKeyId: string; secretAccessKey: string };

/**
 * Per-service credentials: unset on AWS (the function's role); the local stack passes the
 * stand-ins' own (s3rver accepts only `S3RVER`).
 */
export interface ClientOverrides {
  credentials?: Partial<Record<'dynamodb' | 'scheduler' | 'ses' | 's3' | 'secrets' | 'sqs', Credentials>>;
  /** Tests move time with their own clock. */
  clock?: Clock;
  /** Sees every AWS SDK call before it is sent: the local stack records each function's. */
  recordCall?: (call: AwsCall) => void;
  /** The function's Logger and Metrics, which its middleware flushes too; without, a pair named `frist`. */
  telemetry?: Telemetry;
  /** Sees every count before Powertools does: the local stack records each function's. */
  recordMetric?: (metric: CountedMetric) => void;
}

function clientOptions(config: Config, endpoint: string | undefined, credentials: Credentials | undefined) {
  return {
    region: config.AWS_REGION,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** The table, the clock and the log. */
export function buildTablePorts(config: Config, overrides: ClientOverrides = {}): Pick<Ports, 'store' | 'clock' | 'log'> {
  const db = createDynamoDbClient(clientOptions(config, config.DYNAMODB_ENDPOINT, overrides.credentials?.dynamodb));
  return {
    log: overrides.telemetry?.logger ?? buildLogger(config, 'frist'),
    store: new DynamoDbStore(observeCalls(db, overrides.recordCall), config.TABLE_NAME),
    clock: overrides.clock ?? { now: () => new Date() },
  };
}

/** What the ses-events function needs: the table, and the webhooks queue for `notice.delivered`. */
export function buildEventPorts(config: Config, overrides: ClientOverrides = {}): Pick<Ports, 'store' | 'clock' | 'log' | 'ids' | 'webhooks'> {
  return { ...buildTablePorts(config, overrides), ids: randomIds, webhooks: buildWebhookPorts(config, overrides) };
}

/** The webhooks function's ports: the table, the endpoints' secrets (each version read once per container), the webhooks queue and sender. */
export function buildDeliveryPorts(config: Config, overrides: ClientOverrides = {}): Pick<Ports, 'store' | 'clock' | 'log' | 'secrets' | 'webhooks'> {
  const secrets = new SecretsManagerClient(clientOptions(config, config.SECRETS_MANAGER_ENDPOINT, overrides.credentials?.secrets));
  return {
    ...buildTablePorts(config, overrides),
    secrets: withVersionCache(new SecretsManagerStore(observeCalls(secrets, overrides.recordCall), config.SECRETS_PREFIX)),
    webhooks: buildWebhookPorts(config, overrides),
  };
}

/**
 * The webhooks queue every function that publishes an event sends to, and the sender the
 * webhooks function calls endpoints with (the api checks URLs with it; it makes no AWS call).
 */
function buildWebhookPorts(config: Config, overrides: ClientOverrides): WebhookPorts {
  const sqs = createSqsClient(clientOptions(config, config.SQS_ENDPOINT, overrides.credentials?.sqs));
  return {
    queue: new SqsWebhookQueue(observeCalls(sqs, overrides.recordCall), required(config, 'WEBHOOKS_QUEUE_URL')),
    sender: new SafeWebhookSender({
      timeoutMs: WEBHOOKS_QUEUE.attemptTimeoutMs,
      ...(config.WEBHOOK_LOCAL_RECEIVER ? { localReceiverOrigin: config.WEBHOOK_LOCAL_RECEIVER } : {}),
    }),
  };
}

/** The ports every function but ses-events shares: table, secrets, documents, webhooks, clock, log, metrics. */
function buildCorePorts(config: Config, overrides: ClientOverrides): Omit<Ports, 'scheduler' | 'jobs'> {
  const secrets = new SecretsManagerClient(clientOptions(config, config.SECRETS_MANAGER_ENDPOINT, overrides.credentials?.secrets));
  const s3 = new S3Client({ ...clientOptions(config, config.S3_ENDPOINT, overrides.credentials?.s3), forcePathStyle: config.S3_FORCE_PATH_STYLE });
  const telemetry = overrides.telemetry ?? buildTelemetry(config);
  return {
    ...buildTablePorts(config, { ...overrides, telemetry }),
    metrics: observeMetrics(new PowertoolsMetricsAdapter(telemetry.metrics), overrides.recordMetric),
    ids: randomIds,
    secrets: new SecretsManagerStore(observeCalls(secrets, overrides.recordCall), config.SECRETS_PREFIX),
    archive: new S3Archive(observeCalls(s3, overrides.recordCall), required(config, 'DOCUMENT_BUCKET')),
    limits: {
      smsMaxSegments: config.SMS_MAX_SEGMENTS,
      smsCeiling: { perDay: config.SMS_CEILING_PER_DAY, perNumberPerHour: config.SMS_CEILING_PER_NUMBER_PER_HOUR, countries: config.SMS_CEILING_COUNTRIES },
      smsRaiseDelayHours: config.SMS_RAISE_DELAY_HOURS,
    },
    defaults: { smsSender: config.SMS_DEFAULT_SENDER, smsProvider: config.SMS_PROVIDER },
    webhooks: buildWebhookPorts(config, overrides),
  };
}

/**
 * The ports of the api, reconciler and jobs functions, wired from configuration. The same code
 * serves AWS and the local stack: only endpoints and credentials differ.
 */
export function buildPorts(config: Config, overrides: ClientOverrides = {}): Ports {
  const scheduler = new SchedulerClient(clientOptions(config, config.SCHEDULER_ENDPOINT, overrides.credentials?.scheduler));
  return {
    ...buildCorePorts(config, overrides),
    scheduler: new EventBridgeScheduler(observeCalls(scheduler, overrides.recordCall), {
      groupName: config.SCHEDULE_GROUP,
      targetArn: required(config, 'DISPATCH_QUEUE_ARN'),
      roleArn: required(config, 'SCHEDULER_ROLE_ARN'),
      deadLetterArn: required(config, 'SCHEDULER_DLQ_ARN'),
      retry: { maximumRetryAttempts: config.SCHEDULE_MAX_RETRIES, maximumEventAgeInSeconds: config.SCHEDULE_MAX_EVENT_AGE_SECONDS },
    }),
    jobs: buildJobQueue(config, overrides),
  };
}

/** The jobs queue that the api, the reconciler and the jobs function send steps to. */
function buildJobQueue(config: Config, overrides: ClientOverrides): JobQueue {
  const sqs = createSqsClient(clientOptions(config, config.SQS_ENDPOINT, overrides.credentials?.sqs));
  return new SqsJobQueue(observeCalls(sqs, overrides.recordCall), required(config, 'JOBS_QUEUE_URL'));
}

/** The dispatch function's ports: the core ones plus SES and the SMS gateway; no Scheduler. */
export function buildSendingPorts(config: Config, overrides: ClientOverrides = {}): SendingPorts {
  const ports = buildCorePorts(config, overrides);
  const smsBaseUrl = required(config, 'SMS_BASE_URL');
  return {
    ...ports,
    store: withSettingsCache(ports.store, ports.clock, 60_000),
    secrets: withVersionCache(ports.secrets),
    mailer: new SesMailer(
      observeCalls(createSesClient(clientOptions(config, config.SES_ENDPOINT, overrides.credentials?.ses), config.SES_TIMEOUT_MS), overrides.recordCall),
      config.SES_CONFIGURATION_SET,
    ),
    sms:
      config.SMS_PROVIDER === 'sveve' ? new SveveSmsGateway(smsBaseUrl, config.SMS_TIMEOUT_MS) : new GenericHttpSmsGateway(smsBaseUrl, config.SMS_TIMEOUT_MS),
    sending: {
      smsDefaultSender: config.SMS_DEFAULT_SENDER,
      emailDefaultFrom: config.EMAIL_DEFAULT_FROM,
      claimLeaseSeconds: config.CLAIM_LEASE_SECONDS,
      smsDeploymentPerDay: config.SMS_DEPLOYMENT_PER_DAY,
    },
  };
}

/**
 * Settings change rarely and every dispatch reads them: a warm dispatch function keeps a
 * tenant's settings for `ttlMs`, saving one read per notice. A change reaches sends within
 * that time.
 */
export function withSettingsCache(store: Store, clock: Clock, ttlMs: number): Store {
  const cache = new Map<string, { until: number; value: Awaited<ReturnType<Store['getSettings']>> }>();
  return Object.assign(Object.create(store) as Store, {
    getSettings: async (tenantId: string) => {
      const now = clock.now().getTime();
      const hit = cache.get(tenantId);
      if (hit && hit.until > now) return hit.value;
      const value = await store.getSettings(tenantId);
      cache.set(tenantId, { until: now + ttlMs, value });
      return value;
    },
  });
}

/**
 * A secret version never changes, so a warm dispatch container reads each one once: one
 * Secrets Manager call per firm and password change instead of one per SMS.
 */
export function withVersionCache(secrets: SecretStore): SecretStore {
  const cache = new Map<string, Promise<string | undefined>>();
  return {
    put: (tenantId, name, value) => secrets.put(tenantId, name, value),
    get: (ref) => {
      const key = `${ref.name}@${ref.versionId}`;
      let value = cache.get(key);
      if (!value) {
        value = secrets.get(ref);
        value.catch(() => cache.delete(key));
        cache.set(key, value);
      }
      return value;
    },
  };
}

export function buildLogger(config: Config, serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: config.LOG_LEVEL });
}

/**
 * One function's Powertools Logger and Metrics, built once at cold start. Its ports log and
 * count through them (`ports.log`, `ports.metrics`), and its middy chain gets the same
 * instances: `injectLambdaContext` puts the invocation's context on every log line,
 * `logMetrics` flushes the metrics after each invocation.
 */
export interface Telemetry {
  logger: Logger;
  metrics: PowertoolsMetrics;
}

export function buildTelemetry(config: Config, fn?: FunctionName): Telemetry {
  const service = fn ? serviceOf(fn) : 'frist';
  const logger = buildLogger(config, service);
  handOnMetricsSwitch(config);
  const metrics = new PowertoolsMetrics({
    namespace: METRICS_NAMESPACE,
    serviceName: service,
    // Powertools warns on each flush with nothing to publish (an invocation of replays only);
    // its other warnings are about names and dimensions that the port's types rule out.
    logger: logger.createChild({ logLevel: config.LOG_LEVEL === 'SILENT' ? 'SILENT' : 'ERROR' }),
  });
  return { logger, metrics };
}

/** One count as the Metrics port received it. */
export interface CountedMetric {
  name: MetricName;
  dimensions: Record<string, string>;
  value: number;
}

function observeMetrics(metrics: Metrics, observe: ((metric: CountedMetric) => void) | undefined): Metrics {
  if (!observe) return metrics;
  return {
    count: (name, dimensions, value = 1) => {
      observe({ name, dimensions: dimensions, value });
      metrics.count(name, dimensions, value);
    },
  };
}
