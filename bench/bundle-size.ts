import { build, type BuildOptions } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
}

interface Bundle {
  name: string;
  file: string;
  rawKb: number;
  gzipKb: number;
}

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

async function buildBundle(name: string, entry: string): Promise<Bundle> {
  const result = await build(lambdaBuildOptions(entry));
  const code = result.outputFiles[0]!.contents;
  mkdirSync(join(ROOT, '.frist'), { recursive: true });
  const file = join(mkdtempSync(join(ROOT, '.frist', 'bench-bundle-')), 'index.mjs');
  writeFileSync(file, code);
  return { name, file, rawKb: code.length / 1024, gzipKb: gzipSync(code).length / 1024 };
}

const ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-north-1',
  TABLE_NAME: 'bench',
  DOCUMENT_BUCKET: 'bench-bucket',
  SMS_BASE_URL: 'https://sms.example.com',
  DISPATCH_QUEUE_ARN: 'arn:aws:sqs:eu-north-1:000000000000:dispatch',
  JOBS_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/jobs',
  WEBHOOKS_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/webhooks',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/x',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-north-1:000000000000:x',
  LOG_LEVEL: 'SILENT',
};

/** Milliseconds to import the bundle in a fresh Node process. */
async function importOnce(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: ENV });
  return Number(stdout.trim());
}

/**
 * Builds each entry and imports every bundle in fresh Node processes, `runs` rounds, the
 * bundles taking turns in each round: the cold-start share that is Frist's own code (the
 * import includes parsing the configuration and creating the SDK clients). Taking turns
 * keeps a change in the machine's load from favouring one bundle.
 */
export async function measureBundles(entries: { name: string; entry: string }[], runs = 7): Promise<BundleReport[]> {
  const bundles: Bundle[] = [];
  for (const { name, entry } of entries) bundles.push(await buildBundle(name, entry));
  const times = bundles.map(() => [] as number[]);
  for (let round = 0; round < runs; round += 1) {
    for (const [i, bundle] of bundles.entries()) times[i]!.push(await importOnce(bundle.file));
  }
  return bundles.map(({ name, rawKb, gzipKb }, i) => ({
    name,
    rawKb,
    gzipKb,
    importMedianMs: percentile(
      [...times[i]!].sort((a, b) => a - b),
      50,
    ),
  }));
}
