import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { observeCalls, type AwsCall } from './adapters/call-observer.ts';
import { DynamoDbStore } from './adapters/dynamodb-store.ts';
import { createDynamoDbClient } from './adapters/dynamodb-client.ts';
import { createSqsClient } from './adapters/sqs-client.ts';
import { handOnMetricsSwitch, required, type Config, type ConfigOf } from './config.ts';
import type { Clock, IdGenerator, ItemRef, MetricName, Metrics, Ports, SecretStore, Store } from './ports.ts';
import type { Settings } from './domain/model.ts';
import { METRICS_NAMESPACE, serviceOf, type FunctionName } from './telemetry-names.ts';
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

export function clientOptions(config: Pick<Config, 'AWS_REGION'>, endpoint: string | undefined, credentials: Credentials | undefined) {
  return {
    region: config.AWS_REGION,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** The variables `buildTelemetry` reads. */
export const TELEMETRY_VARIABLES = ['LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED'] as const;
/** The variables `buildTablePorts` reads. */
export const TABLE_VARIABLES = [...TELEMETRY_VARIABLES, 'AWS_REGION', 'TABLE_NAME', 'DYNAMODB_ENDPOINT', 'PACK_TASK_NOTICES'] as const;
/** The variables `buildSqsClient` reads. */
export const SQS_VARIABLES = ['AWS_REGION', 'SQS_ENDPOINT'] as const;
/** The variables `buildWebhookPorts` reads. */
export const WEBHOOK_VARIABLES = [...SQS_VARIABLES, 'WEBHOOKS_QUEUE_URL', 'WEBHOOK_LOCAL_RECEIVER'] as const;

/** The table, the clock and the log. */
export function buildTablePorts(config: ConfigOf<typeof TABLE_VARIABLES>, overrides: ClientOverrides = {}): Pick<Ports, 'store' | 'clock' | 'log'> {
  const db = createDynamoDbClient(clientOptions(config, config.DYNAMODB_ENDPOINT, overrides.credentials?.dynamodb));
  return {
    log: overrides.telemetry?.logger ?? buildLogger(config, 'frist'),
    store: new DynamoDbStore(observeCalls(db, overrides.recordCall), config.TABLE_NAME, { packNotices: config.PACK_TASK_NOTICES }),
    clock: overrides.clock ?? { now: () => new Date() },
  };
}

/** What the ses-events function needs: the table, and the webhooks queue for `notice.delivered`. */
export function buildEventPorts(
  config: ConfigOf<typeof TABLE_VARIABLES> & ConfigOf<typeof WEBHOOK_VARIABLES>,
  overrides: ClientOverrides = {},
): Pick<Ports, 'store' | 'clock' | 'log' | 'ids' | 'webhooks'> {
  return { ...buildTablePorts(config, overrides), ids: randomIds, webhooks: buildWebhookPorts(config, overrides) };
}

/**
 * The one SQS client of a function, for every queue it sends to (webhooks, jobs, the dispatch
 * queue's requeue): the queues' calls are alike, and each client built costs the cold start
 * what the floor's one costs (docs/decisions.md, "Cold start: dispatch's own configuration").
 */
export function buildSqsClient(config: ConfigOf<typeof SQS_VARIABLES>, overrides: ClientOverrides): SQSClient {
  return observeCalls(createSqsClient(clientOptions(config, config.SQS_ENDPOINT, overrides.credentials?.sqs)), overrides.recordCall);
}

/**
 * The webhooks queue every function that publishes an event sends to, and the sender the
 * webhooks function calls endpoints with (the api checks URLs with it; it makes no AWS call).
 */
export function buildWebhookPorts(
  config: ConfigOf<typeof WEBHOOK_VARIABLES>,
  overrides: ClientOverrides,
  sqs = buildSqsClient(config, overrides),
): WebhookPorts {
  return {
    queue: new SqsWebhookQueue(sqs, required(config, 'WEBHOOKS_QUEUE_URL')),
    sender: new SafeWebhookSender({
      timeoutMs: WEBHOOKS_QUEUE.attemptTimeoutMs,
      ...(config.WEBHOOK_LOCAL_RECEIVER ? { localReceiverOrigin: config.WEBHOOK_LOCAL_RECEIVER } : {}),
    }),
  };
}

/**
 * Settings change rarely and every dispatch reads them: a warm dispatch function keeps a
 * tenant's settings for `ttlMs`, saving one read per notice. A change reaches sends within
 * that time.
 */
export function withSettingsCache(store: Store, clock: Clock, ttlMs: number): Store {
  const cache = new Map<string, { until: number; value: Settings | undefined }>();
  const fresh = (tenantId: string) => {
    const hit = cache.get(tenantId);
    return hit && hit.until > clock.now().getTime() ? hit : undefined;
  };
  const keep = (tenantId: string, value: Settings | undefined) => cache.set(tenantId, { until: clock.now().getTime() + ttlMs, value });
  return Object.assign(Object.create(store) as Store, {
    getSettings: async (tenantId: string) => {
      const hit = fresh(tenantId);
      if (hit) return hit.value;
      const value = await store.getSettings(tenantId);
      keep(tenantId, value);
      return value;
    },
    // A batch's read by key asks the table only for the settings the cache does not hold.
    getByKeys: async (refs: readonly ItemRef[]) => {
      const cached = refs.map((ref) => (ref.kind === 'settings' ? fresh(ref.tenantId) : undefined));
      const asked = refs.filter((_, i) => !cached[i]);
      const read = asked.length ? await store.getByKeys(asked) : [];
      asked.forEach((ref, i) => ref.kind === 'settings' && keep(ref.tenantId, read[i] as Settings | undefined));
      let next = 0;
      return refs.map((_, i) => (cached[i] ? cached[i].value : read[next++]));
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
    remove: (tenantId, name) => secrets.remove(tenantId, name),
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

export function buildLogger(config: Pick<Config, 'LOG_LEVEL'>, serviceName: string): Logger {
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

export function buildTelemetry(config: ConfigOf<typeof TELEMETRY_VARIABLES>, fn?: FunctionName): Telemetry {
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

export function observeMetrics(metrics: Metrics, observe: ((metric: CountedMetric) => void) | undefined): Metrics {
  if (!observe) return metrics;
  return {
    count: (name, dimensions, value = 1) => {
      observe({ name, dimensions: dimensions, value });
      metrics.count(name, dimensions, value);
    },
  };
}
