import { mkdir } from 'node:fs/promises';
import { createApiHandler } from '../functions/api/app.ts';
import { PUBLIC_ROUTE_KEYS } from '../functions/api/routes.ts';
import { buildLogger, buildPorts } from '../shared/composition.ts';
import { parseConfig, type Config } from '../shared/config.ts';
import type { Clock, Ports } from '../shared/ports.ts';
import { createLocalApiGateway } from './local-api-gateway.ts';
import { dataPaths, DEFAULT_DATA_DIR, loadOrCreateSecretsKey } from './local-data.ts';
import { createTable, LOCAL_CREDENTIALS, startDynamoDb } from './local-dynamodb.ts';
import { loadLocalJwt, type LocalJwt } from './local-jwt.ts';
import { close, listen, LOOPBACK } from './listen.ts';

export interface LocalStackOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  dataDir?: string;
  /** Keep tables on disk in the data folder between runs. */
  persist?: boolean;
  /** Configuration variables on top of the local defaults (the README lists them). */
  env?: Record<string, string | undefined>;
  /** Replaces the wall clock, so tests can plan against a fixed "now". */
  clock?: Clock;
}

export interface LocalStack {
  apiUrl: string;
  dynamoDbEndpoint: string;
  config: Config;
  ports: Ports;
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
  const dynamodb = await startDynamoDb(options.persist ? { path: paths.dynamodb } : {});
  const config = parseConfig({
    TABLE_NAME: 'frist-local',
    AWS_REGION: 'eu-north-1',
    LOG_LEVEL: 'WARN',
    ...options.env,
    DYNAMODB_ENDPOINT: dynamodb.endpoint,
    SECRETS_KEY: await loadOrCreateSecretsKey(paths.secretsKey),
  });
  await createTable(dynamodb.endpoint, config.TABLE_NAME, config.AWS_REGION);

  const ports = buildPorts(config, { credentials: LOCAL_CREDENTIALS });
  if (options.clock) ports.clock = options.clock;
  const jwt = await loadLocalJwt(paths.jwtKey);
  const handler = createApiHandler(ports, {
    tenantClaim: config.TENANT_CLAIM,
    maxBodyBytes: config.MAX_BODY_BYTES,
    logger: buildLogger(config, 'frist-api'),
  });
  const gateway = createLocalApiGateway({ handler: handler as never, jwt, publicRouteKeys: PUBLIC_ROUTE_KEYS });
  const port = await listen(gateway, options.port ?? 0);

  return {
    apiUrl: `http://${LOOPBACK}:${port}`,
    dynamoDbEndpoint: dynamodb.endpoint,
    config,
    ports,
    jwt,
    token: (tenantId) => jwt.sign({ [config.TENANT_CLAIM]: tenantId, sub: `local-user@${tenantId}` }),
    stop: async () => {
      await close(gateway);
      await dynamodb.stop();
    },
  };
}
