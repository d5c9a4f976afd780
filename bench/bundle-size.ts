import { build } from 'esbuild';
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

/**
 * Builds a function as the CDK stack does (same esbuild settings, the AWS SDK external) and
 * imports it in fresh Node processes: the cold-start share that is Frist's own code.
 */
export async function measureBundle(name: string, runs = 7): Promise<BundleReport> {
  const result = await build({
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: BUNDLING.mainFields,
    external: BUNDLING.externalModules,
    banner: { js: BUNDLING.banner },
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  mkdirSync(join(ROOT, '.frist'), { recursive: true });
  const file = join(mkdtempSync(join(ROOT, '.frist', 'bench-bundle-')), 'index.mjs');
  writeFileSync(file, code);
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-north-1',
    TABLE_NAME: 'bench',
    DOCUMENT_BUCKET: 'bench-bucket',
    SMS_BASE_URL: 'https://sms.example.com',
    DISPATCH_QUEUE_ARN: 'arn:aws:sqs:eu-north-1:000000000000:dispatch',
    JOBS_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/jobs',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/x',
    SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-north-1:000000000000:x',
    LOG_LEVEL: 'SILENT',
  };
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env });
    times.push(Number(stdout.trim()));
  }
  return {
    name,
    rawKb: code.length / 1024,
    gzipKb: gzipSync(code).length / 1024,
    importMedianMs: percentile(
      [...times].sort((a, b) => a - b),
      50,
    ),
  };
}
