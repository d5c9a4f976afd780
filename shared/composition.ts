import { Logger } from '@aws-lambda-powertools/logger';
import { randomBytes } from 'node:crypto';
import { AesSecretSealer } from './adapters/aes-secret-sealer.ts';
import { createDynamoDbClient, DynamoDbStore } from './adapters/dynamodb-store.ts';
import type { Config } from './config.ts';
import type { IdGenerator, Ports } from './ports.ts';

/** Crockford's base32: no i, l, o, u, so an id read aloud or retyped stays unambiguous. */
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 16 characters, 80 random bits: short enough to build Scheduler names from. */
export const randomIds: IdGenerator = {
  newId: () => [...randomBytes(16)].map((byte) => ID_ALPHABET[byte % 32]).join(''),
};

/**
 * Wires the ports from configuration. The same code serves AWS and the local stack: only
 * the endpoint (and, locally, the stand-in credentials) differ.
 */
export function buildPorts(config: Config, overrides: { credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): Ports {
  const db = createDynamoDbClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    ...(overrides.credentials ? { credentials: overrides.credentials } : {}),
  });
  return {
    store: new DynamoDbStore(db, config.TABLE_NAME),
    clock: { now: () => new Date() },
    ids: randomIds,
    sealer: new AesSecretSealer(config.SECRETS_KEY),
    limits: { smsMaxSegments: config.SMS_MAX_SEGMENTS },
  };
}

export function buildLogger(config: Config, serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: config.LOG_LEVEL });
}
