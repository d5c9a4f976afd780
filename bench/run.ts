/**
 * `npm run bench`: the cost of sending a notice, measured in one run, beside the floor of
 * bare SDK calls against the same stand-ins. Writes docs/benchmarks.md.
 *
 * Arrangement: the stand-ins (dynalite, s3rver, the SES stand-in, the Scheduler emulator)
 * run in this same process as the code under test, as `npm start` runs them. MEASURED.md
 * notes that this roughly halves concurrent throughput compared with separate processes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { SettingsUpdate } from '../shared/api/settings.schemas.ts';
import type { DispatchEvent, Ports } from '../shared/ports.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { putSettings } from '../shared/use-cases/settings.ts';
import { createTask } from '../shared/use-cases/tasks.ts';
import { startLocalStack, type LocalStack } from '../local/local-stack.ts';
import type { Config } from '../shared/config.ts';
import { allBundles, BARE, bundlesSection, coldStartLine, functionEntry, measureBundles, withBundleFigures, type BundleReport } from './bundle-size.ts';
import { dispatchBatchRun, dispatchRun, floorBatchRun, floorRun, notDone, perNotice, sideBySide, sideBySideTable } from './dispatch-floor.ts';
import { DISPATCH_QUEUE } from '../shared/dispatch-queue.ts';
import { profileNotices, profileTable, type ProfileShare } from './dispatch-profile.ts';
import { HttpCallCounter } from './http-calls.ts';
import { firstScreenJs, registerLoad } from './web.ts';
import { applyTemplateBench } from './apply-template.ts';
import { saveWritesBench, SAVE_WRITES_NOTES } from './save-writes.ts';
import { costMarkdown, countCosts } from './cost.ts';
import { reconcilerBench, reconcilerSection } from './reconciler.ts';
import { keptScaleSection, scaleParts, scaleSection, withScaleSection } from './scale.ts';
import { burstBench, burstSection, BURST_NOTES } from './burst.ts';

const HANDLER_NOTICES = Number(process.env.BENCH_NOTICES ?? 1000);
const PIPELINE_NOTICES = Number(process.env.BENCH_PIPELINE_NOTICES ?? 500);
const REGISTER_TASKS = Number(process.env.BENCH_REGISTER_TASKS ?? 5000);
const REGISTER_RUNS = Number(process.env.BENCH_REGISTER_RUNS ?? 15);
const APPLY_TASKS = Number(process.env.BENCH_APPLY_TASKS ?? 5000);
const RECONCILE_TASKS = Number(process.env.BENCH_RECONCILE_TASKS ?? 1000);
const COST_TASKS = Number(process.env.BENCH_COST_TASKS ?? 20);
const SCALE_REGISTER_TASKS = Number(process.env.BENCH_SCALE_REGISTER_TASKS ?? 50_000);
const SCALE_RECONCILE_TASKS = Number(process.env.BENCH_SCALE_RECONCILE_TASKS ?? 100_000);
const SCALE_BURST_NOTICES = Number(process.env.BENCH_SCALE_BURST_NOTICES ?? 100_000);
/** The local pipeline manages some tens of notices a second here: a higher rate measures the machine. */
const SCALE_BURST_RATE = Number(process.env.BENCH_SCALE_BURST_RATE ?? 30);
const PAGE = resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const BURST_NOTICES = Number(process.env.BENCH_BURST_NOTICES ?? 2000);
const BURST_RATE = Number(process.env.BENCH_BURST_RATE ?? 40);

// `npm run bench -- --cost`: only what a notice costs on AWS, printed, docs untouched.
if (process.argv.includes('--cost')) {
  console.log(costMarkdown(await countCosts(COST_TASKS)));
  process.exit(0);
}
// `npm run bench -- --scale`: only the "At scale" section (bench/scale.ts); the rest of the page stays as it is.
if (process.argv.includes('--scale')) {
  const sizes = { registerTasks: SCALE_REGISTER_TASKS, reconcileTasks: SCALE_RECONCILE_TASKS };
  const overrides = Object.entries({
    BENCH_SCALE_REGISTER_TASKS: process.env.BENCH_SCALE_REGISTER_TASKS,
    BENCH_SCALE_RECONCILE_TASKS: process.env.BENCH_SCALE_RECONCILE_TASKS,
    BENCH_SCALE_BURST_NOTICES: process.env.BENCH_SCALE_BURST_NOTICES,
    BENCH_SCALE_BURST_RATE: process.env.BENCH_SCALE_BURST_RATE,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${value} `);
  // Five firms of about 20,000 notices and a small one of 20 (issue 12's fairness case).
  const burst = async () => {
    const figures = await burstBench({ notices: SCALE_BURST_NOTICES, firms: 6, sesRate: SCALE_BURST_RATE });
    return `### The burst\n\n${burstSection(figures)}\n\n${BURST_NOTES}`;
  };
  const section = await scaleSection(scaleParts(sizes, burst), `${overrides.join('')}npm run bench -- --scale`);
  await writeFile(PAGE, withScaleSection(await readFile(PAGE, 'utf8'), section));
  console.log(`${section}\n\nwrote the "At scale" section of docs/benchmarks.md`);
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
let config: Config;
let customers: { id: string }[];

async function freshStack<T>(phase: () => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-'));
  stack = await startLocalStack({ clock, dataDir, env: { LOG_LEVEL: 'SILENT' }, schedulerConcurrency: CONCURRENCY });
  ({ ports, config } = stack);
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

/** `count` tasks whose single e-mail notice falls due at `dueAt`, created 8 at a time, of the firms in turn; returns their dispatch events. */
async function tasksDueAt(count: number, dueAt: Date, firms = [TENANT]): Promise<DispatchEvent[]> {
  const deadline = dueAt.toISOString().replace(/\.\d+Z$/, 'Z');
  const events = new Array<DispatchEvent>(count);
  let next = 0;
  const create = async () => {
    while (next < count) {
      const i = next++;
      const tenantId = firms[i % firms.length]!;
      const ofFirm = tenantId === TENANT ? customers : otherCustomers.get(tenantId)!;
      const task = await createTask(ports, tenantId, {
        title: `MVA-melding ${i}`,
        customerId: ofFirm[Math.floor(i / firms.length) % ofFirm.length]!.id,
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
      // The message its schedule carries, the task's customer named in it (task-schedules.ts).
      events[i] = { tenantId, taskId: task.id, noticeId: task.notices[0]!.id, occurrenceAt: deadline, planVersion: 1, customerId: task.customerId };
    }
  };
  await Promise.all(Array.from({ length: 8 }, create));
  return events;
}

/** Firms beside TENANT, each with its settings and 10 customers. */
const otherCustomers = new Map<string, { id: string }[]>();
async function otherFirms(count: number): Promise<string[]> {
  const firms = Array.from({ length: count }, (_, i) => `bench-firm-${i + 2}`);
  for (const tenantId of firms) {
    const settings = SettingsUpdate.parse({ firm: { name: `Regnskap ${tenantId} AS` }, emailSender: { from: `varsel@${tenantId}.example` }, version: 0 });
    await putSettings(ports, tenantId, settings);
    const made = [];
    for (let i = 0; i < 10; i += 1)
      made.push(await createCustomer(ports, tenantId, { name: `Kunde ${i} AS`, email: `kunde${i}@${tenantId}.example`, optIn: { email: true, sms: false } }));
    otherCustomers.set(tenantId, made);
  }
  return firms;
}

async function clearSes() {
  await fetch(`${stack.sesEndpoint}/clear-store`, { method: 'POST' });
}

// 1. Dispatch beside its floor, at each concurrency, and where its CPU time goes.
const LEVELS = [1, 8, 64];
/** Notices profiled on each side, after the timed runs. */
const PROFILED = Number(process.env.BENCH_PROFILED_NOTICES ?? 300);

/** The deployed shape: SQS events of the event source mapping's batch size, their notices of several firms in turn. */
const BATCH = DISPATCH_QUEUE.batchSize;
const FIRMS = 5;
/** The floor's notices in events are numbered from here, apart from its notices one by one. */
const FLOOR_BATCH_BASE = 10_000_000;

async function dispatchBeside(count: number) {
  const loadBefore = os.loadavg()[0]!;
  const dueAt = new Date(now.getTime() + 3_600_000);
  const events = await tasksDueAt(count * LEVELS.length + 2 * PROFILED, dueAt);
  const batchEvents = await tasksDueAt(count * LEVELS.length + 2 * PROFILED, dueAt, [TENANT, ...(await otherFirms(FIRMS - 1))]);
  now = dueAt;
  // The floor reads the task of the notice it stands for: one of `events` alone, one of `batchEvents` in events of BATCH.
  const floor = await floorRun(config, (i) => (i >= FLOOR_BATCH_BASE ? batchEvents[i - FLOOR_BATCH_BASE]! : events[i]!));
  const dispatch = dispatchRun(stack, events);
  const levels = await sideBySide({ floor: floor.run, dispatch }, LEVELS, count, clearSes);
  // Calls and CPU are counted on notices of their own, one side at a time.
  const first = count * LEVELS.length;
  counter.reset();
  counter.start();
  for (let i = first; i < first + PROFILED; i += 1) await dispatch(i);
  counter.stop();
  const calls = counter.byName({ DynamoDB: config.DYNAMODB_ENDPOINT!, SES: config.SES_ENDPOINT!, S3: config.S3_ENDPOINT!, SQS: config.SQS_ENDPOINT! });
  await clearSes();
  const profiles = {
    floor: await profileNotices(floor.run, first, PROFILED),
    dispatch: await profileNotices(dispatch, first + PROFILED, PROFILED),
  };
  const batch = await inEvents(count, floor.run, batchEvents);
  const load = [loadBefore, os.loadavg()[0]!];
  return { load, levels, size: floor.size, calls: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / PROFILED])), profiles, batch };
}

/** Both sides in events of BATCH notices of FIRMS firms, 1, 8 and 64 events at a time; then dispatch's calls per notice in events. */
async function inEvents(count: number, floorNotice: (i: number) => Promise<void>, events: DispatchEvent[]) {
  const sides = { floor: floorBatchRun(floorNotice, BATCH, FLOOR_BATCH_BASE), dispatch: dispatchBatchRun(stack, events, BATCH) };
  const levels = perNotice(await sideBySide(sides, LEVELS, count / BATCH, clearSes), BATCH);
  const first = (count * LEVELS.length) / BATCH;
  counter.reset();
  counter.start();
  for (let i = first; i < first + PROFILED / BATCH; i += 1) await sides.dispatch(i);
  counter.stop();
  const calls = counter.byName({ DynamoDB: config.DYNAMODB_ENDPOINT!, SES: config.SES_ENDPOINT!, S3: config.S3_ENDPOINT!, SQS: config.SQS_ENDPOINT! });
  await clearSes();
  // CPU on events of their own: the floor's numbered on from its timed notices, dispatch's after the counted ones.
  const profiles = {
    floor: await profileNotices(sides.floor, first, PROFILED / BATCH, BATCH),
    dispatch: await profileNotices(sides.dispatch, first + PROFILED / BATCH, PROFILED / BATCH, BATCH),
  };
  await clearSes();
  return { levels, calls: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / PROFILED])), profiles };
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

const BARE_ENTRY = allBundles().find((b) => b.name === BARE)!;
const BUNDLE_RUNS = 15;
const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`;
const SECTION_START = '<!-- dispatch beside its floor: from bench/run.ts -->';
const SECTION_END = '<!-- end of dispatch beside its floor -->';

/** The section on dispatch beside its floor; \`npm run bench -- --dispatch\` rewrites only it. */
function dispatchSection(d: Awaited<ReturnType<typeof dispatchBeside>>, bundles: BundleReport[]): string {
  const callsTotal = Object.values(d.calls).reduce((a, b) => a + b, 0);
  const calls = callList(d.calls);
  const batchTotal = Object.values(d.batch.calls).reduce((a, b) => a + b, 0);
  const topFunctions = d.profiles.dispatch.functions.map((f) => `${f.place} ${f.msPerNotice.toFixed(2)} ms`).join('; ');
  const gap = callGap(d.profiles.floor.places, d.profiles.dispatch.places);
  return `${SECTION_START}
## Dispatch beside its floor

${HANDLER_NOTICES} e-mail notices (~${(d.size / 1024).toFixed(1)} KB each) through each side at each concurrency, in one local stack, the two
sides taking turns in 4 rounds (floor first in odd rounds, dispatch first in even ones), so
that the machine's load falls on both. ${machine}; the stand-ins in this process; the machine's
load average ${d.load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end (above 2, other work shared the cores and
times stretch unevenly: the calls and the CPU per notice are the steadier figures). Goals (issue 12): dispatch's time per notice at most 1.2 times the floor's one after another, its throughput at least 0.8 times the floor's at 8 and 64 at a time.

${sideBySideTable(d.levels)}

${notDoneLine()}

**As deployed: SQS events of ${BATCH} messages** (the event source mapping's batch size), their
notices of ${FIRMS} firms in turn (2 of each in an event), 1, 8 and 64 events at a time; the floor
does each event's ${BATCH} notices side by side, as one invocation of bare calls would. Times
per event, counts and throughput in notices:

${sideBySideTable(d.batch.levels, { run: `event of ${BATCH}`, plural: 'events' })}

Calls per notice: **${batchTotal.toFixed(2)}** in events of ${BATCH} (${callList(d.batch.calls)}), **${callsTotal.toFixed(2)}** in
events of one (below); the floor's 5 in both. In an event of ${BATCH}, the reads are 2 BatchGetItem
calls for all its notices (the tasks with the customers their messages name and the firms'
settings; the tasks again once every claim is written: shared/use-cases/batch-reads.ts) and
the webhook events one SendMessageBatch; the claim, S3, SES, the sent record and the warning
mark stay one call per notice each.

- **floor**: GetItem (the task, consistent: the stored task of the notice it stands for, the
  item dispatch reads) + conditional PutItem (the claim) + SES SendEmail (raw, with a tag) +
  S3 PutObject (the same bytes) + UpdateItem (sent), one after the other, clients created
  once: the unavoidable I/O, 5 calls. Its claim and sent record are minimal items (a key and a
  state), not a delivery record: the floor is the bare calls.
- **dispatch, one step after another** for an e-mail notice of an event: read the tasks with
  the customers their messages name (and the settings the container's cache lacks) -> claim ->
  read the tasks again while the copy is filed in S3 -> SES -> the sent record and the warning
  mark side by side -> the webhook events (one SendMessageBatch for the event): 6 steps one
  after the other beside the floor's 5 (9 before issue 12's last changes: the copy was filed
  after the second read, the mark noted after the sent record, the customers read after the
  tasks). A task given to another customer after its schedule was written reads its customer
  after the task: one step more, for that notice's event only.
- **dispatch**: the dispatch function's handler as the Lambda runs it, an SQS event of one
  message per notice (the worst case for what is read once per batch): middy (its logger silent, as in all the bench), the message
  parsed, read the task with the customer it names (settings from a per-container cache), claim, read
  the task again while rendering, building the MIME message and filing it in S3, send it by
  SES, mark it sent while noting the outcome in the task's warning mark, queue the webhook event. **${callsTotal.toFixed(2)} calls per notice** (${calls}), counted by
  Node's diagnostics channel over ${PROFILED} notices of their own.
${coldStartLine(bundles)}

### Where a notice's CPU time goes

V8's sampling profiler (\`node:inspector\`, every 200 µs) over ${PROFILED} notices on each side, one
after another, after the timed runs; each sample's self time counted to the package its code
belongs to, and time in Node's own code (http, streams, buffers, crypto, URLs) to the package
whose code called it. The stand-ins run in this process, so they are in the profile, named
apart; on AWS their share is the services'.

${profileTable(d.profiles.floor.places, d.profiles.dispatch.places)}

Dispatch's functions with the most self time (ms per notice): ${topFunctions}.

**In events of ${BATCH}** (the deployed shape), the same profiler over ${PROFILED / BATCH} events of ${BATCH} on each side, one
event after another (the floor doing each event's ${BATCH} notices side by side), after the timed runs; per notice:

${profileTable(d.batch.profiles.floor.places, d.batch.profiles.dispatch.places)}

Dispatch's functions with the most self time in events of ${BATCH} (ms per notice): ${d.batch.profiles.dispatch.functions.map((f) => `${f.place} ${f.msPerNotice.toFixed(2)} ms`).join('; ')}.

${callsAloneLine(d.batch.profiles.floor.places, d.batch.profiles.dispatch.places)}

**Where the gap to the floor goes.** Of dispatch's ${gap.above.toFixed(2)} ms of CPU per notice above the floor,
${gap.calls.toFixed(2)} ms is the work of its ${(callsTotal - 5).toFixed(0)} calls more than the floor's 5 (the SDK, the stand-ins answering, Node's
sockets and the garbage they leave), and ${gap.own.toFixed(2)} ms is Frist's own code (rendering, MIME, logging,
parsing, middy and the packages it calls). With the stand-ins on the same 2 cores, throughput
follows CPU per notice, so the goals need dispatch near the floor's calls; each call above it
is needed by a guarantee:

- the customer read, no call of its own since the message names the customer (read with the
  task): a notice goes to the customer's current address and opt-in (a batch reads each
  customer once: several notices of one customer in a batch cost one read);
- the second, consistent read of the task after the claim: a completion promises that no
  send starts after it answered (docs/architecture.md, "Never after done");
- the UpdateItem of the task's warning mark: the register shows the outcome without reading
  every task's deliveries (the section "What a save and a register page cost" below);
- the SQS SendMessageBatch of the webhook events (\`notice.sent\`), one per invocation.

The warning mark's UpdateItem stays one per final outcome: skipping it when the mark would say
the same (a sent over a sent) breaks its maximum rule, as an outcome with a key between the
stored one and the skipped one, noted later (an earlier occurrence failing for good after a
later one was sent), would then win. DynamoDB's TransactWriteItems could join it to the sent
record in one call, but the mark's condition failing (a later outcome there already) would
cancel the sent record with it, and the local stand-in (dynalite) has no transactions.

**What issue 12 removed** (measured on its own on 2026-12-01, the machine shared). Before it,
the page's last full run (2026-11-30) timed \`dispatchNotice\` alone, without the handler around
it: 11.32 ms per notice one after another beside the floor's 4.97 ms (2.27 times), 7 calls.
The handler measured here adds middy, the message's parsing and the webhook event's SendMessage.
- MIME building with nodemailer's composer: 0.43 ms of CPU per message; built by
  \`shared/adapters/mime-message.ts\` instead: 0.09 ms (2000 messages of 3.3 KB each, taking
  turns). Importing the composer alone took 42 ms in a fresh process (an empty bundle 1 ms):
  most of dispatch's cold start above the bare clients, before.
- A batch's reads go together (shared/use-cases/batch-reads.ts): one BatchGetItem of its tasks,
  one of their customers and firms' settings, one of the tasks again after the claims, each
  consistent; a batch of 10 notices of 3 firms makes 3 read calls, not 20 to 30
  (test/integration/dispatch-batch-reads.test.ts). The settings are also kept per container
  for a minute. The webhook events of an invocation go in one SendMessageBatch.
- The schedule's message names the task's customer (a hint, never trusted: docs/decisions.md,
  "Dispatch's calls per notice"), so the customers are read with the tasks: 2 read calls for an
  event of 10, and one call fewer per notice in events of one.
- The local DynamoDB parses an expression once for the requests that repeat it with values
  of the same types (local/dynalite-expression-cache.ts). dynalite ran its PEG parser on every
  request: in events of 10, 0.73 ms of dispatch's CPU per notice was parsing its conditions
  and 0.20 ms its updates, beside the floor's 0.06 and 0.02 (2026-12-02, 200 notices a side);
  the stand-ins' CPU above the floor went from 1.63 to 0.92 ms per notice, dispatch's CPU from
  1.55 to 1.48 times the floor's. DynamoDB's parsing is the service's, not the function's.
- The cold start above the bare clients was then mostly zod (its classic build, the
  configuration's schema and the domain's \`Customer\` and \`Delivery\`); dispatch now checks its
  configuration (only the variables it reads) and its messages with plain checks, carries no
  zod and builds no domain schema (docs/decisions.md, "Cold start: zod/mini, Powertools kept",
  "Cold start: plain checks of the configuration and the message"). What remains is spread:
  compiling the bundle's code, Powertools, temporal-polyfill (every notice's
  deadline); libphonenumber-js is evaluated only on the first SMS or phone merge code of a
  container (docs/decisions.md, "Cold start: phone numbers on first need").
${SECTION_END}`;
}

/** The notices dispatch did not finish at their first attempt, in this whole run. */
function notDoneLine(): string {
  if (!notDone.length) return 'Every notice was done at its first attempt.';
  const byWhy = new Map<string, number>();
  for (const why of notDone) byWhy.set(why, (byWhy.get(why) ?? 0) + 1);
  const counts = [...byWhy].map(([why, count]) => `${count} ${why}`);
  return `**${notDone.length} notices were not done at their first attempt** (their delivery records: ${counts.join(', ')}); on AWS they would come back from the queue. They count in the figures as the others.`;
}

/** Calls per notice by service, as `DynamoDB 6.00, SES 1.00`. */
function callList(calls: Record<string, number>): string {
  return Object.entries(calls)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
}

/**
 * What dispatch's calls alone cost beside the floor in events of BATCH: its CPU without any of
 * Frist's own code, the bound on what removing code could reach on this arrangement.
 */
function callsAloneLine(floor: ProfileShare[], dispatch: ProfileShare[]): string {
  const total = (shares: ProfileShare[]) => shares.reduce((sum, share) => sum + share.msPerNotice, 0);
  const own = callGap(floor, dispatch).own;
  const calls = total(dispatch) - own;
  return `**Dispatch's calls alone, in events of ${BATCH}:** without any of Frist's own code (rendering, MIME, logging, middy, validation and the packages they call: ${own.toFixed(2)} ms per notice here), dispatch's calls would still take ${calls.toFixed(2)} ms of CPU per notice beside the floor's ${total(floor).toFixed(2)} ms, **${(calls / total(floor)).toFixed(2)}** times: with the stand-ins on the same cores, the goals (1.2 and 0.8) are out of reach while those calls carry what they carry (a delivery record that the document lists index, the warning mark, the tasks read with their customers and settings), however lean the code around them.`;
}

/** Dispatch's CPU per notice above the floor: in its calls (SDK, stand-ins, sockets, GC) and in Frist's own code. */
function callGap(floor: ProfileShare[], dispatch: ProfileShare[]) {
  const CALL_WORK = ['AWS SDK', 'stand-ins', 'Node.js internals', 'garbage collection'];
  const above = (share: ProfileShare) => share.msPerNotice - (floor.find((f) => f.place === share.place)?.msPerNotice ?? 0);
  const isCall = (share: ProfileShare) => CALL_WORK.some((prefix) => share.place.startsWith(prefix));
  const sum = (shares: ProfileShare[]) => shares.reduce((total, share) => total + above(share), 0);
  return { above: sum(dispatch), calls: sum(dispatch.filter(isCall)), own: sum(dispatch.filter((share) => !isCall(share))) };
}

if (process.argv.includes('--dispatch')) {
  const beside = await freshStack(() => dispatchBeside(HANDLER_NOTICES));
  const bundles = await measureBundles([BARE_ENTRY, { name: 'dispatch', entry: functionEntry('dispatch') }], BUNDLE_RUNS);
  const section = dispatchSection(beside, bundles);
  const page = await readFile(PAGE, 'utf8');
  const at = page.indexOf(SECTION_START);
  const end = page.indexOf(SECTION_END);
  if (at < 0 || end < 0) throw new Error('docs/benchmarks.md has no dispatch section to rewrite: run the whole bench');
  await writeFile(PAGE, page.slice(0, at) + section + page.slice(end + SECTION_END.length));
  console.log(section);
  process.exit(0);
}

// `npm run bench -- --bundles`: only the function bundles' table and dispatch's cold-start line.
if (process.argv.includes('--bundles')) {
  const bundles = await measureBundles(allBundles(), BUNDLE_RUNS);
  await writeFile(PAGE, withBundleFigures(await readFile(PAGE, 'utf8'), bundles, BUNDLE_RUNS, machine));
  console.log(`${coldStartLine(bundles)}\n\n${bundlesSection(bundles, BUNDLE_RUNS, machine)}`);
  process.exit(0);
}

const beside = await freshStack(() => dispatchBeside(HANDLER_NOTICES));
const pipelineResult = await freshStack(() => pipeline(PIPELINE_NOTICES));
const bundles = await measureBundles(allBundles(), BUNDLE_RUNS);
const bundleTable = bundlesSection(bundles, BUNDLE_RUNS, machine);

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

const pipelineLine = `Whole local pipeline (Scheduler emulator firing ${CONCURRENCY} at a time -> SQS dispatch queue -> event source mapping, batches of 10, ${CONCURRENCY} at a time -> dispatch -> SES -> S3 -> DynamoDB): ${PIPELINE_NOTICES} notices in ${pipelineResult.seconds.toFixed(2)} s = **${pipelineResult.perSecond.toFixed(0)} notices/s**.`;
const section = dispatchSection(beside, bundles);

console.log(`\n${section}\n\n${pipelineLine}\n\n${applyLine}\n\n${bundleTable}\n\n${webTable}\n`);

const doc = `# Benchmarks

\`npm run bench\` (a few minutes) measures, in one run and on one machine, the dispatch of
e-mail notices beside the floor of bare SDK calls against the same local stand-ins, the
throughput of the whole local pipeline, a notice template applied to ${APPLY_TASKS} tasks, the reconciler over ${RECONCILE_TASKS} due tasks, and the web app's first screen: its JavaScript and the
time to the register's first row with ${REGISTER_TASKS} tasks. It rewrites this page. Override the sizes with
\`BENCH_NOTICES\`, \`BENCH_PIPELINE_NOTICES\`, \`BENCH_REGISTER_TASKS\`, \`BENCH_REGISTER_RUNS\`, \`BENCH_APPLY_TASKS\`, \`BENCH_RECONCILE_TASKS\`, \`BENCH_COST_TASKS\`, \`BENCH_BURST_NOTICES\` and \`BENCH_BURST_RATE\`;
\`npm run bench -- --cost\` prints only the cost per notice. \`npm run bench -- --bundles\` rewrites only the function bundles' figures. \`npm run bench -- --scale\` (about ten
minutes here) measures the register at 5,000 and 50,000 tasks and the reconciler over 100,000
tasks due within a day, and rewrites only the "At scale" section at the end of this page (sizes:
\`BENCH_SCALE_REGISTER_TASKS\`, \`BENCH_SCALE_RECONCILE_TASKS\`); the quick run keeps that section.

Last run: ${machine}. Each row starts a fresh local stack. The stand-ins (dynalite, s3rver,
the SES stand-in, the Scheduler emulator) run in the benchmark's own process, as under
\`npm start\`; measured on this kind of machine, that arrangement halves concurrent throughput against separate processes, so compare
rows of one run, not with other machines.

${section}

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

- An SMS notice adds the gateway call and one more UpdateItem (it is marked sent before its
  record is filed, because the record carries the provider's id).

${await keptScaleSection(PAGE)}
`;
await writeFile(PAGE, doc);
console.log('wrote docs/benchmarks.md');
