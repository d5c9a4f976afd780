import { build, type BuildOptions, type Metafile } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { BUNDLING } from '../cdk/constructs/frist-function.ts';
import { percentile } from './http-calls.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface BundleReport {
  name: string;
  rawKb: number;
  gzipKb: number;
  importMedianMs: number;
  /** The CPU time of the same imports (every thread of the process): what other work on the machine does not inflate. */
  cpuMedianMs: number;
  /** What the bundle holds, by package (or Frist's own folder), largest first. */
  parts: { part: string; kb: number }[];
  /** The machine's 1-minute load average, lowest and highest seen at the start of a round: what else ran. */
  load: { min: number; max: number };
}

interface Bundle {
  name: string;
  file: string;
  firstEvent?: unknown;
  rawKb: number;
  gzipKb: number;
  parts: BundleReport['parts'];
}

/** The floor of a cold start: bench/bare-clients.ts, the SDK clients dispatch creates and nothing else. */
export const BARE = 'floor: the bare clients of dispatch';
const FUNCTIONS = ['dispatch', 'api', 'reconciler', 'ses-events', 'jobs', 'webhooks'] as const;

/** A function's handler, or another entry such as bench/bare-clients.ts. */
export function functionEntry(name: string): string {
  return join(ROOT, 'functions', name, 'handler.ts');
}

/** esbuild's options for building an entry as the CDK stack builds a function (the AWS SDK external). */
export function lambdaBuildOptions(entry: string) {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: BUNDLING.mainFields,
    external: BUNDLING.externalModules,
    banner: { js: BUNDLING.banner },
    write: false,
    metafile: true,
    logLevel: 'silent',
  } satisfies BuildOptions;
}

export interface BundleEntry {
  name: string;
  entry: string;
  /** An event the handler answers right after the import, timed with it: what a cold start does before its first answer. */
  firstEvent?: unknown;
}

/**
 * `GET /tasks` without a token, as API Gateway's payload 2.0: the api loads the tasks route
 * group and builds its schemas to answer 401, with no AWS call (nothing to reach here).
 */
const FIRST_API_REQUEST = {
  version: '2.0',
  routeKey: 'GET /tasks',
  rawPath: '/tasks',
  rawQueryString: '',
  headers: {},
  requestContext: { http: { method: 'GET', path: '/tasks', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' }, requestId: 'r-1', stage: '$default' },
  isBase64Encoded: false,
};

/**
 * The floor and every function, as bench/run.ts measures them; dispatch also with the phone
 * numbers its first SMS loads, the api with its first request.
 */
export function allBundles(): BundleEntry[] {
  return [
    { name: BARE, entry: join(ROOT, 'bench', 'bare-clients.ts') },
    ...FUNCTIONS.map((name) => ({ name, entry: functionEntry(name) })),
    { name: 'dispatch, then its first phone number', entry: join(ROOT, 'bench', 'dispatch-first-phone.ts') },
    { name: 'api, then its first `GET /tasks`', entry: functionEntry('api'), firstEvent: FIRST_API_REQUEST },
  ];
}

/** esbuild's metafile summed by package (`node_modules/<package>`) or by Frist's folder (`shared/domain`). */
function partsOf(metafile: Metafile): BundleReport['parts'] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const part = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      sizes.set(part, (sizes.get(part) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].map(([part, bytes]) => ({ part, kb: bytes / 1024 })).sort((a, b) => b.kb - a.kb);
}

async function buildBundle(name: string, entry: string): Promise<Bundle> {
  const result = await build(lambdaBuildOptions(entry));
  const code = result.outputFiles[0]!.contents;
  mkdirSync(join(ROOT, '.frist'), { recursive: true });
  const file = join(mkdtempSync(join(ROOT, '.frist', 'bench-bundle-')), 'index.mjs');
  writeFileSync(file, code);
  return { name, file, rawKb: code.length / 1024, gzipKb: gzipSync(code).length / 1024, parts: partsOf(result.metafile) };
}

/**
 * What the CDK stack sets that the functions' cold start reads; dispatch's send rates and
 * requeue URL as well, since it builds its pacers and the queue's port from them.
 */
const ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-north-1',
  TABLE_NAME: 'bench',
  DOCUMENT_BUCKET: 'bench-bucket',
  SMS_BASE_URL: 'https://sms.example.com',
  SES_SENDS_PER_SECOND: '14',
  SMS_SENDS_PER_SECOND: '10',
  DISPATCH_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/dispatch',
  DISPATCH_QUEUE_ARN: 'arn:aws:sqs:eu-north-1:000000000000:dispatch',
  JOBS_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/jobs',
  WEBHOOKS_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/webhooks',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/x',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-north-1:000000000000:x',
  LOG_LEVEL: 'SILENT',
};

/** Wall-clock and CPU milliseconds to import the bundle in a fresh Node process, and to answer `firstEvent` if given. */
async function importOnce({ file, firstEvent }: Bundle): Promise<{ wallMs: number; cpuMs: number }> {
  const answer = firstEvent === undefined ? '' : 'await handler(JSON.parse(process.env.FIRST_EVENT), {});';
  const script = `const c = process.cpuUsage(); const t = performance.now();
    const { handler } = await import(${JSON.stringify(file)}); ${answer}
    const u = process.cpuUsage(c); console.log(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;
  const env = { ...ENV, FIRST_EVENT: JSON.stringify(firstEvent ?? null) };
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env });
  return JSON.parse(stdout) as { wallMs: number; cpuMs: number };
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * Builds each entry and imports every bundle in fresh Node processes, `runs` rounds, the
 * bundles taking turns in each round: the cold-start share that is Frist's own code (the
 * import includes parsing the configuration and creating the SDK clients). Taking turns
 * keeps a change in the machine's load from favouring one bundle, and starting each round
 * with the next one keeps the order from favouring one.
 */
export async function measureBundles(entries: BundleEntry[], runs = 7): Promise<BundleReport[]> {
  const bundles: Bundle[] = [];
  for (const { name, entry, firstEvent } of entries) bundles.push({ ...(await buildBundle(name, entry)), firstEvent });
  const times = bundles.map(() => [] as { wallMs: number; cpuMs: number }[]);
  const loads: number[] = [];
  for (let round = 0; round < runs; round += 1) {
    loads.push(loadavg()[0]!);
    // Each round starts with the next bundle: the first import of a round came out a few ms
    // slower than the same file imported second (docs/decisions.md, "Cold start: the SDK's own
    // request handler"), so a fixed order would favour every bundle but the first, the floor.
    for (let turn = 0; turn < bundles.length; turn += 1) {
      const i = (round + turn) % bundles.length;
      times[i]!.push(await importOnce(bundles[i]!));
    }
  }
  const load = { min: Math.min(...loads), max: Math.max(...loads) };
  return bundles.map(({ name, rawKb, gzipKb, parts }, i) => ({
    name,
    rawKb,
    gzipKb,
    parts,
    load,
    importMedianMs: median(times[i]!.map((t) => t.wallMs)),
    cpuMedianMs: median(times[i]!.map((t) => t.cpuMs)),
  }));
}

/** The dispatch section's line on cold start: the goal of issue 12 is at most 1.1 times the floor. */
export function coldStartLine(bundles: BundleReport[]): string {
  const bare = bundles.find((b) => b.name === BARE)!;
  const dispatch = bundles.find((b) => b.name === 'dispatch')!;
  return `- **Cold start**: the dispatch bundle's \`import()\` median ${dispatch.cpuMedianMs.toFixed(0)} ms of CPU beside the bare clients'
  ${bare.cpuMedianMs.toFixed(0)} ms: **${(dispatch.cpuMedianMs / bare.cpuMedianMs).toFixed(2)}** times (goal ≤ 1.1; wall clock ${dispatch.importMedianMs.toFixed(0)} / ${bare.importMedianMs.toFixed(0)} ms = ${(dispatch.importMedianMs / bare.importMedianMs).toFixed(2)}; the bundles table below).`;
}

const COLD_START_LINE = /- \*\*Cold start\*\*:[\s\S]*?the bundles table below\)\./;
const BUNDLES_HEADING = '## Function bundles';

/** The "Function bundles" section of docs/benchmarks.md. */
export function bundlesSection(bundles: BundleReport[], runs: number, machine: string): string {
  const bare = bundles.find((b) => b.name === BARE)!;
  const rows = bundles.map(
    (b) =>
      `| ${b.name} | ${b.rawKb.toFixed(0)} | ${b.gzipKb.toFixed(0)} | ${b.cpuMedianMs.toFixed(0)} | ${(b.cpuMedianMs / bare.cpuMedianMs).toFixed(2)} | ${b.importMedianMs.toFixed(0)} | ${(b.importMedianMs / bare.importMedianMs).toFixed(2)} |`,
  );
  const parts = (name: string) =>
    bundles
      .find((b) => b.name === name)!
      .parts.slice(0, 8)
      .map((p) => `${p.part} ${p.kb.toFixed(0)}`)
      .join(', ');
  return `${BUNDLES_HEADING}

Built with the CDK stack's esbuild settings (ESM, node24, minified, \`module\` before \`main\`, the
AWS SDK external because the nodejs24.x runtime provides it), each imported in ${runs} fresh Node
processes, the bundles taking turns (each round starting with the next one). ${machine}; 1-minute load average ${bare.load.min.toFixed(1)} to ${bare.load.max.toFixed(1)} at the rounds' starts
(others' work on the same cores inflates every figure alike: compare ratios of one run). The figure is the CPU time of the import (all the
process's threads, \`process.cpuUsage()\`): on a machine others use, wall-clock time also counts
the waits for a core, which swung these medians by half between runs here. The import includes parsing the configuration and creating the SDK clients: the
cold-start work done once per container, not per notice. The floor (bench/bare-clients.ts) creates the
SDK clients dispatch uses, with dispatch's own factories and options, and nothing else; dispatch's goal is at most 1.1 times it. Each
function's composition root imports only the SDK clients it uses (shared/composition*.ts).
\`npm run bench -- --bundles\` measures only this table and dispatch's cold-start line.

| bundle | raw KB | gzip KB | cold \`import()\` CPU median ms | to the floor | wall-clock median ms | to the floor |
|---|---|---|---|---|---|---|
${rows.join('\n')}

- **What they hold** (KB of the minified bundle, esbuild's metafile): dispatch: ${parts('dispatch')}; api: ${parts('api')}.
- **Built at import**: the configuration's check (plain checks, not zod; dispatch's only of the
  variables it reads), Powertools' logger and metrics, the SDK clients (one SQS
  client per function, whatever its queues). The environment is what the stack sets that a
  cold start reads, dispatch's send rates and requeue URL among it. A domain schema is built only by a bundle
  that uses it (shared/domain/schema.ts); dispatch builds none and carries no zod (its
  message has plain checks too, the store reads member names from lists beside the schemas).
  temporal-polyfill loads at import: every notice's merge values format its deadline with it.
  libphonenumber-js is in dispatch's bundle but evaluated on first need, through \`import()\`:
  an SMS (its country check) or a text with a phone merge code. The row "dispatch, then its
  first phone number" is its import with that load, what such a first notice adds once per
  container (docs/decisions.md, "Cold start: phone numbers on first need"). The api loads a group of routes (functions/api/route-groups.ts)
  with its schemas on the group's first request: the last row is its import and a first
  \`GET /tasks\` (401, no token: no AWS call), what a cold start does before its first answer.`;
}

/** The page with this run's bundle figures in place of the last ones (\`--bundles\`). */
export function withBundleFigures(page: string, bundles: BundleReport[], runs: number, machine: string): string {
  const at = page.indexOf(BUNDLES_HEADING);
  const end = page.indexOf('\n## ', at + BUNDLES_HEADING.length);
  if (at < 0 || end < 0 || !COLD_START_LINE.test(page)) throw new Error('docs/benchmarks.md has no bundles section to rewrite: run the whole bench');
  return (page.slice(0, at) + bundlesSection(bundles, runs, machine) + '\n' + page.slice(end)).replace(COLD_START_LINE, coldStartLine(bundles));
}
