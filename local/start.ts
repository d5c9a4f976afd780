import { parseArgs } from 'node:util';
import { seedDemo, DEMO_TENANT } from './demo-seed.ts';
import { startLocalStack } from './local-stack.ts';

/**
 * `npm start`: the whole service on 127.0.0.1, with a seeded demo firm.
 * `npm start -- --persist` keeps the data in .frist/ between runs.
 */
const { values } = parseArgs({ options: { persist: { type: 'boolean', default: false } } });
const port = Number(process.env.PORT ?? 3000);

const stack = await startLocalStack({ port, persist: values.persist, env: process.env, dataDir: process.env.FRIST_DATA_DIR }).catch(
  (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${port} is in use: stop what holds it, or start on another port with PORT=3001 npm start`
        : `Frist could not start: ${error.message}`,
    );
    process.exit(1);
  },
);
const { seeded } = await seedDemo(stack.ports);
const token = await stack.token(DEMO_TENANT);

console.log(`
Frist is running locally (${values.persist ? 'data kept in .frist/' : 'in memory; --persist keeps data'}).

  API           ${stack.apiUrl}
  OpenAPI       ${stack.apiUrl}/openapi.json
  Outbox        ${stack.apiUrl}/_local/outbox      (e-mail and SMS as the stand-ins received them)
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
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
