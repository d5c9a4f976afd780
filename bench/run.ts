/**
 * `npm run bench`: the cost of sending a notice, measured in one run, beside the floor of
 * bare SDK calls against the same stand-ins. Writes docs/benchmarks.md.
 *
 * Arrangement: the stand-ins (dynalite, s3rver, the SES stand-in, the Scheduler emulator)
 * run in this same process as the code under test, as `npm start` runs them. MEASURED.md
 * notes that this roughly halves concurrent throughput compared with separate processes.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { buildMime } from '../shared/adapters/mime-message.ts';
import { SettingsUpdate } from '../shared/api/settings.schemas.ts';
import type { DispatchEvent, Ports, SendingPorts } from '../shared/ports.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { dispatchNotice } from '../shared/use-cases/dispatch-notice.ts';
import { putSettings } from '../shared/use-cases/settings.ts';
import { createTask } from '../shared/use-cases/tasks.ts';
import { startLocalStack, type LocalStack } from '../local/local-stack.ts';
import type { Config } from '../shared/config.ts';
import { LOCAL_CREDENTIALS } from '../local/local-dynamodb.ts';
import { S3RVER_CREDENTIALS } from '../local/local-aws-services.ts';
import { functionEntry, measureBundles } from './bundle-size.ts';
import { HttpCallCounter, percentile } from './http-calls.ts';
import { firstScreenJs, registerLoad } from './web.ts';
import { applyTemplateBench } from './apply-template.ts';
import { saveWritesBench, SAVE_WRITES_NOTES } from './save-writes.ts';
import { costMarkdown, countCosts } from './cost.ts';
import { reconcilerBench, reconcilerSection } from './reconciler.ts';
import { burstBench, burstSection, BURST_NOTES } from './burst.ts';

const HANDLER_NOTICES = Number(process.env.BENCH_NOTICES ?? 2000);
const PIPELINE_NOTICES = Number(process.env.BENCH_PIPELINE_NOTICES ?? 500);
const REGISTER_TASKS = Number(process.env.BENCH_REGISTER_TASKS ?? 5000);
const REGISTER_RUNS = Number(process.env.BENCH_REGISTER_RUNS ?? 15);
const APPLY_TASKS = Number(process.env.BENCH_APPLY_TASKS ?? 5000);
const RECONCILE_TASKS = Number(process.env.BENCH_RECONCILE_TASKS ?? 1000);
const COST_TASKS = Number(process.env.BENCH_COST_TASKS ?? 20);
const BURST_NOTICES = Number(process.env.BENCH_BURST_NOTICES ?? 2000);
const BURST_RATE = Number(process.env.BENCH_BURST_RATE ?? 40);

// `npm run bench -- --cost`: only what a notice costs on AWS, printed, docs untouched.
if (process.argv.includes('--cost')) {
  console.log(costMarkdown(await countCosts(COST_TASKS)));
  process.exit(0);
}
/** The first screen's JavaScript budget (issue 9), gzip. */
const FIRST_SCREEN_BUDGET_KB = 300;
const TENANT = 'bench';

let now = new Date('2030-01-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const counter = new HttpCallCounter();

// Each phase gets a fresh local stack, so no phase pays for what an earlier one left in the
// stand-ins (s3rver's files, dynalite's items).
let stack: LocalStack;
let ports: Ports;
let sendingPorts: SendingPorts;
let config: Config;
let customers: { id: string }[];

async function freshStack<T>(phase: () => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-'));
  stack = await startLocalStack({ clock, dataDir, env: { LOG_LEVEL: 'SILENT' }, schedulerConcurrency: CONCURRENCY });
  ({ ports, sendingPorts, config } = stack);
  const settings = SettingsUpdate.parse({
    firm: { name: 'Tall og Tid Regnskap AS' },
    timeZone: 'Europe/Oslo',
    emailSender: { from: 'varsel@tallogtid.example', displayName: 'Tall og Tid' },
    version: 0,
  });
  await putSettings(ports, TENANT, settings);
  customers = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      createCustomer(ports, TENANT, {
        name: `Kunde ${i} Ærlig & Ødegård AS`,
        email: `kunde${i}@example.no`,
        mobile: `+47412345${String(i).padStart(2, '0')}`,
        optIn: { email: true, sms: true },
      }),
    ),
  );
  try {
    return await phase();
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `count` tasks whose single e-mail notice falls due at `dueAt`; returns their dispatch events. */
async function tasksDueAt(count: number, dueAt: Date): Promise<DispatchEvent[]> {
  const deadline = dueAt.toISOString().replace(/\.\d+Z$/, 'Z');
  const events: DispatchEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const task = await createTask(ports, TENANT, {
      title: `MVA-melding ${i}`,
      customerId: customers[i % customers.length]!.id,
      deadline,
      notices: [
        {
          when: 'before',
          offset: 'PT0S',
          channels: ['email'],
          subject: 'Påminnelse: {{task.title}} har frist {{task.deadline}}',
          message: `Hei {{customer.name}}!\n\nFristen for «{{task.title}}» er {{task.deadline}}. ${'Husk bilagene. '.repeat(80)}\n\nHilsen {{firm.name}}`,
        },
      ],
    });
    events.push({ tenantId: TENANT, taskId: task.id, noticeId: task.notices[0]!.id, occurrenceAt: deadline, planVersion: 1 });
  }
  return events;
}

async function clearSes() {
  await fetch(`${stack.sesEndpoint}/clear-store`, { method: 'POST' });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

// 1. The floor: the bare I/O of one notice, clients created once.
async function floor(count: number) {
  const region = config.AWS_REGION;
  const db = new DynamoDBClient({ region, endpoint: config.DYNAMODB_ENDPOINT, credentials: LOCAL_CREDENTIALS });
  const ses = new SESv2Client({ region, endpoint: config.SES_ENDPOINT, credentials: LOCAL_CREDENTIALS });
  const s3 = new S3Client({ region, endpoint: config.S3_ENDPOINT, credentials: S3RVER_CREDENTIALS, forcePathStyle: true });
  const raw = await buildMime({
    from: { address: 'varsel@tallogtid.example' },
    to: { address: 'kunde@example.no' },
    subject: 'Påminnelse',
    text: 'x'.repeat(1200),
    html: `<p>${'x'.repeat(1200)}</p>`,
    messageId: '<floor@frist>',
    date: new Date(),
  });
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    const key = { pk: { S: 'T#floor' }, sk: { S: `D#${i}` } };
    await db.send(new GetItemCommand({ TableName: config.TABLE_NAME, Key: { pk: { S: 'T#floor' }, sk: { S: 'K#task' } } }));
    await db.send(
      new PutItemCommand({ TableName: config.TABLE_NAME, Item: { ...key, state: { S: 'claimed' } }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'varsel@tallogtid.example',
        Destination: { ToAddresses: ['kunde@example.no'] },
        Content: { Raw: { Data: raw } },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: config.DOCUMENT_BUCKET, Key: `floor/${i}.eml`, Body: raw }));
    await db.send(
      new UpdateItemCommand({
        TableName: config.TABLE_NAME,
        Key: key,
        UpdateExpression: 'SET #s = :sent',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':sent': { S: 'sent' } },
      }),
    );
    samples.push(performance.now() - start);
    if (i % 500 === 499) await clearSes();
  }
  return { ...stats(samples), size: raw.length };
}

// 2. The dispatch handler, one notice after another.
async function handler(count: number) {
  const dueAt = new Date(now.getTime() + 3_600_000);
  const events = await tasksDueAt(count, dueAt);
  now = dueAt;
  const samples: number[] = [];
  counter.reset();
  counter.start();
  for (const [i, event] of events.entries()) {
    const start = performance.now();
    const report = await dispatchNotice(sendingPorts, event);
    samples.push(performance.now() - start);
    if (report.outcomes.email !== 'sent') throw new Error(`notice ${i} was not sent: ${JSON.stringify(report)}`);
    if (i % 500 === 499) await clearSes();
  }
  counter.stop();
  const calls = counter.byName({
    DynamoDB: config.DYNAMODB_ENDPOINT!,
    SES: config.SES_ENDPOINT!,
    S3: config.S3_ENDPOINT!,
  });
  return { ...stats(samples), calls: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / count])) };
}

// 3. The whole local pipeline: schedules fire (8 at a time), dispatch sends and files.
async function pipeline(count: number) {
  await clearSes();
  const dueAt = new Date(now.getTime() + 3_600_000);
  const events = await tasksDueAt(count, dueAt);
  now = dueAt;
  const start = performance.now();
  await stack.runDue();
  const seconds = (performance.now() - start) / 1000;
  let filed = 0;
  for (const event of events) {
    const deliveries = await ports.store.listDeliveries(TENANT, event.taskId);
    if (deliveries.some((d) => d.state === 'sent' && d.document)) filed += 1;
  }
  if (filed !== count) throw new Error(`only ${filed} of ${count} notices were filed`);
  return { perSecond: count / seconds, seconds };
}

const floorResult = await freshStack(() => floor(HANDLER_NOTICES));
const handlerResult = await freshStack(() => handler(HANDLER_NOTICES));
const pipelineResult = await freshStack(() => pipeline(PIPELINE_NOTICES));
const BARE = 'floor: the bare clients of dispatch';
const bundles = await measureBundles(
  [
    { name: BARE, entry: resolve(import.meta.dirname, 'bare-clients.ts') },
    ...['dispatch', 'api', 'reconciler', 'ses-events', 'jobs', 'webhooks'].map((name) => ({ name, entry: functionEntry(name) })),
  ],
  9,
);
const bareMs = bundles[0]!.importMedianMs;
const bundleTable = [
  '| bundle | raw KB | gzip KB | cold `import()` median ms | to the floor |',
  '|---|---|---|---|---|',
  ...bundles.map(
    (b) => `| ${b.name} | ${b.rawKb.toFixed(0)} | ${b.gzipKb.toFixed(0)} | ${b.importMedianMs.toFixed(0)} | ${(b.importMedianMs / bareMs).toFixed(2)} |`,
  ),
].join('\n');

const applied = await applyTemplateBench(APPLY_TASKS);
const applyLine = `A notice template (an e-mail 7 days before, a reminder the day after repeated 3 times: 5 occurrences) applied by their ids to ${applied.tasks} open tasks without notices, from the request until the job is \`done\` (jobs queue -> jobs function, ${applied.steps} steps of 25 tasks, 5 tasks saved at a time): ${applied.seconds.toFixed(1)} s = **${applied.tasksPerSecond.toFixed(0)} tasks/s**, **${applied.schedulerCallsPerTask.toFixed(2)} Scheduler calls per task** (one CreateSchedule per occurrence; a task whose notices did not change would take none).`;

const saveWrites = await saveWritesBench();
const reconciler = reconcilerSection(await reconcilerBench(RECONCILE_TASKS));
const burst = burstSection(await burstBench({ notices: BURST_NOTICES, firms: 2, sesRate: BURST_RATE }));
const cost = costMarkdown(await countCosts(COST_TASKS));
const firstScreen = await firstScreenJs();
const register = await registerLoad(REGISTER_TASKS, REGISTER_RUNS);
const webTable = [
  '| measure | figure |',
  '|---|---|',
  `| JavaScript the first screen loads (gzip, ${firstScreen.files.length} files) | **${firstScreen.gzipKb.toFixed(0)} KB** of the ${FIRST_SCREEN_BUDGET_KB} KB budget (${firstScreen.gzipKb <= FIRST_SCREEN_BUDGET_KB ? 'within' : '**over**'}; ${firstScreen.rawKb.toFixed(0)} KB raw) |`,
  `| navigation to the register's first row, ${register.tasks} tasks, ${register.runs} runs | median **${register.medianMs.toFixed(0)} ms**, p95 ${register.p95Ms.toFixed(0)} ms |`,
].join('\n');
const webFiles = firstScreen.files.map((f) => `\`${f.file}\` ${f.gzipKb.toFixed(1)} KB`).join(', ');

const callsTotal = Object.values(handlerResult.calls).reduce((a, b) => a + b, 0);
const rows = [
  ['floor: bare SDK calls, one after another', `${HANDLER_NOTICES}`, handlerMs(floorResult.median), handlerMs(floorResult.p99), '5 (DynamoDB 3, SES 1, S3 1)'],
  [
    'dispatch handler, one after another',
    `${HANDLER_NOTICES}`,
    handlerMs(handlerResult.median),
    handlerMs(handlerResult.p99),
    `${callsTotal.toFixed(2)} (${Object.entries(handlerResult.calls)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ')})`,
  ],
];
function handlerMs(ms: number) {
  return ms.toFixed(2);
}
const table = [
  '| run | notices | median ms per notice | p99 ms | AWS calls per notice |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const pipelineLine = `Whole local pipeline (Scheduler emulator firing ${CONCURRENCY} at a time -> SQS dispatch queue -> event source mapping, batches of 10, ${CONCURRENCY} at a time -> dispatch -> SES -> S3 -> DynamoDB): ${PIPELINE_NOTICES} notices in ${pipelineResult.seconds.toFixed(2)} s = **${pipelineResult.perSecond.toFixed(0)} notices/s**.`;
const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`;

console.log(
  `\n${table}\n\n${pipelineLine}\n\n${applyLine}\n(${machine}; e-mail notices of ~${(floorResult.size / 1024).toFixed(1)} KB; stand-ins in this process)\n\n${bundleTable}\n\n${webTable}\n`,
);

const doc = `# Benchmarks

\`npm run bench\` (a few minutes) measures, in one run and on one machine, the dispatch of
e-mail notices beside the floor of bare SDK calls against the same local stand-ins, the
throughput of the whole local pipeline, a notice template applied to ${APPLY_TASKS} tasks, the reconciler over ${RECONCILE_TASKS} due tasks, and the web app's first screen: its JavaScript and the
time to the register's first row with ${REGISTER_TASKS} tasks. It rewrites this page. Override the sizes with
\`BENCH_NOTICES\`, \`BENCH_PIPELINE_NOTICES\`, \`BENCH_REGISTER_TASKS\`, \`BENCH_REGISTER_RUNS\`, \`BENCH_APPLY_TASKS\`, \`BENCH_RECONCILE_TASKS\`, \`BENCH_COST_TASKS\`, \`BENCH_BURST_NOTICES\` and \`BENCH_BURST_RATE\`;
\`npm run bench -- --cost\` prints only the cost per notice.

Last run: ${machine}. Each row starts a fresh local stack. The stand-ins (dynalite, s3rver,
the SES stand-in, the Scheduler emulator) run in the benchmark's own process, as under
\`npm start\`; measured on this kind of machine, that arrangement halves concurrent throughput against separate processes, so compare
rows of one run, not with other machines.

${table}

${pipelineLine}

## Applying a template to many tasks

${applyLine}

## What a save and a register page cost

${saveWrites}

${SAVE_WRITES_NOTES}

## The reconciler

${reconciler}

## The burst

${burst}

${BURST_NOTES}

## What a notice costs on AWS

${cost}

## Function bundles

Built with the CDK stack's esbuild settings (ESM, node24, minified, \`module\` before \`main\`, the
AWS SDK external because the nodejs24.x runtime provides it), each imported in 9 fresh Node
processes, the bundles taking turns. The import includes parsing the configuration and creating the SDK clients: the
cold-start work done once per container, not per notice. The floor (bench/bare-clients.ts) creates the
SDK clients dispatch uses and nothing else; dispatch's goal is at most 1.1 times it. Each
function's composition root imports only the SDK clients it uses (shared/composition*.ts).

${bundleTable}

## The web app

${webTable}

- **First screen**: the production build of web/ (\`vite build\`, rebuilt by the run), the module
  script of \`web/dist/index.html\`, its \`modulepreload\` links and every chunk they import
  statically, each gzipped (level 9); the lazy route chunks (task page, customers, settings),
  loaded by \`import()\` when first opened, are left out. Budget: 300 KB (issue 9). Files: ${webFiles}.
- **Register**: one firm with ${register.tasks} tasks (50 customers, no notices), seeded through the use
  cases on a fresh local stack (API, dynalite, ... in this process) with the built app on its own origin;
  Debian's Chromium (headless, 1280x900) signs in once on the local sign-in page, then loads \`/\`
  ${register.runs} times, from \`page.goto\` until the first row of the table is visible (the app
  loaded from a warm HTTP cache, a silent token renewal, \`GET /settings\` and \`GET /tasks\`, the
  first page of 25). A figure to compare between runs, not a test: no assertion is made on it.
  Samples (ms): ${register.samples.map((ms) => ms.toFixed(0)).join(', ')}.

## What the rows mean

- **floor**: GetItem (task) + conditional PutItem (claim) + SES SendEmail (raw, ~${(floorResult.size / 1024).toFixed(1)} KB) +
  S3 PutObject + UpdateItem (mark sent), clients created once: the unavoidable I/O.
- **dispatch handler**: \`dispatchNotice\` as the Lambda runs it: read the task, read the
  customer (settings come from a per-container cache), claim, read the task again, render merge codes, build the
  MIME message with nodemailer, file it in S3, send it by SES, mark it sent. Its two calls
  above the floor are the customer read (a notice goes to the customer's current address)
  and a second, consistent read of the task after the claim, which lets a completion promise
  that no send starts after it answered (docs/architecture.md, "Never after done").
- **AWS calls per notice**: HTTP requests counted by Node's diagnostics channel during the
  handler run, per stand-in.
- An SMS notice adds the gateway call and one more UpdateItem (it is marked sent before its
  record is filed, because the record carries the provider's id).
`;
await writeFile(resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md'), doc);
console.log('wrote docs/benchmarks.md');
