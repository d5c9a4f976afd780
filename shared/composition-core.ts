import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { observeCalls } from './adapters/call-observer.ts';
import { PowertoolsMetricsAdapter } from './adapters/powertools-metrics.adapter.ts';
import { S3Archive } from './adapters/s3-archive.adapter.ts';
import { SecretsManagerStore } from './adapters/secrets-manager.adapter.ts';
import {
  buildTablePorts,
  buildTelemetry,
  buildSqsClient,
  buildWebhookPorts,
  clientOptions,
  observeMetrics,
  randomIds,
  TABLE_VARIABLES,
  WEBHOOK_VARIABLES,
  type ClientOverrides,
} from './composition.ts';
import { required, type ConfigOf } from './config.ts';
import type { Ports } from './ports.ts';

/*
 * Each function's composition root imports only the AWS SDK clients it uses: the runtime's SDK
 * is left out of the bundles, and every package a bundle names is loaded at cold start.
 */

/** The variables `buildCorePorts` reads. */
export const CORE_VARIABLES = [
  ...TABLE_VARIABLES,
  ...WEBHOOK_VARIABLES,
  'SECRETS_MANAGER_ENDPOINT',
  'SECRETS_PREFIX',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'DOCUMENT_BUCKET',
  'SMS_MAX_SEGMENTS',
  'SMS_CEILING_PER_DAY',
  'SMS_CEILING_PER_NUMBER_PER_HOUR',
  'SMS_CEILING_COUNTRIES',
  'SMS_RAISE_DELAY_HOURS',
  'SMS_DEFAULT_SENDER',
  'SMS_PROVIDER',
] as const;

/**
 * The ports every function but ses-events shares: table, secrets, documents, webhooks, clock, log, metrics.
 * `sqs`: the function's SQS client, when its other queues use it too.
 */
export function buildCorePorts(
  config: ConfigOf<typeof CORE_VARIABLES>,
  overrides: ClientOverrides,
  sqs = buildSqsClient(config, overrides),
): Omit<Ports, 'scheduler' | 'jobs'> {
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
    webhooks: buildWebhookPorts(config, overrides, sqs),
  };
}
