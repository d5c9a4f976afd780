import { parseArgs } from 'node:util';
import { integerText, Invalid, type Check } from '../shared/checks.ts';
import { parseConfig } from '../shared/config.ts';
import { seedDemo, DEMO_TENANT } from './demo-seed.ts';
import { dataPaths, DEFAULT_DATA_DIR } from './local-data.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';
import { startLocalWeb, type LocalWeb } from './local-web.ts';
import { ensureWebBuild } from './web-build.ts';

/**
 * `npm start`: the whole service on 127.0.0.1, with a seeded demo firm.
 * `npm start -- --persist` keeps the data in .frist/ between runs.
 */
const { values } = parseArgs({ options: { persist: { type: 'boolean', default: false } } });

/** A number variable of `npm start`, checked as the functions check theirs: blank or malformed stops it, naming the variable. */
function localNumber(name: string, check: Check<number>): number | undefined {
  const text = process.env[name];
  try {
    return text === undefined ? undefined : check(text);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    console.error(`Frist could not start: ${name}: ${error.message}`);
    process.exit(1);
  }
}
// The API's port; the web app and its sign-in take the next two.
const port = localNumber('PORT', integerText(1, 65_533)) ?? 3000;
// LOCAL_SES_MAX_SEND_RATE: the SES stand-in refuses sends above it a second, as SES does above the account's rate.
const sesMaxSendRate = localNumber('LOCAL_SES_MAX_SEND_RATE', integerText(1, 10_000));
const dataDir = process.env.FRIST_DATA_DIR ?? DEFAULT_DATA_DIR;
const failed = (error: NodeJS.ErrnoException): never => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port}, ${port + 1} or ${port + 2} is in use: stop what holds it, or start on other ports with PORT=3010 npm start`
      : `Frist could not start: ${error.message}`,
  );
  process.exit(1);
};

// The web app (PORT+1) and its local sign-in (PORT+2) start first: the API allows the app's origin (CORS).
await ensureWebBuild(console.log).catch(failed);
const started: { stack?: LocalStack } = {};
const web: LocalWeb = await startLocalWeb({
  jwtKeyFile: dataPaths(dataDir).jwtKey,
  tenantClaim: parseConfig(process.env, ['TENANT_CLAIM']).TENANT_CLAIM,
  defaultTenant: DEMO_TENANT,
  apiUrl: () => started.stack?.apiUrl ?? '',
  appPort: port + 1,
  signInPort: port + 2,
}).catch(failed);
const stack = (started.stack = await startLocalStack({
  port,
  persist: values.persist,
  env: process.env,
  dataDir,
  corsOrigins: [web.appUrl],
  ...(sesMaxSendRate ? { sesMaxSendRate } : {}),
}).catch(failed));
const { seeded } = await seedDemo(stack.ports);
const token = await stack.token(DEMO_TENANT);

console.log(`
Frist is running locally (${values.persist ? 'data kept in .frist/' : 'in memory; --persist keeps data'}).

  Web app       ${web.appUrl}                    (sign in as any tenant on the local sign-in page; demo is preselected)
  API           ${stack.apiUrl}
  OpenAPI       ${stack.apiUrl}/openapi.json
  Reference     ${stack.apiUrl}/docs               (the API reference, rendered from that document)
  Outbox        ${stack.apiUrl}/_local/outbox      (e-mail and SMS as the stand-ins received them)
  Webhooks      ${stack.webhookReceiverUrl}/<any path>   (a fake receiver: register it with POST /webhooks;
                ${stack.apiUrl}/_local/webhooks    shows what it got, signed)
  Inbox UI      ${stack.sesEndpoint}/               (the SES stand-in's web view)
  Demo tenant   ${DEMO_TENANT}${seeded ? ' (seeded just now: its first e-mail and SMS go out in about a minute)' : ' (kept from an earlier run)'}

Try:
  export TOKEN=${token}
  curl -H "Authorization: Bearer $TOKEN" ${stack.apiUrl}/tasks
  npm run token -- <tenantId>      a token for another tenant

Ctrl-C stops.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await web.stop();
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
