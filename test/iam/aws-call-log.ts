import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AwsCallRecorder, FunctionName } from '../../local/aws-call-recording.ts';

/** Where the integration suites leave the AWS calls they saw; git ignores .test-output/. */
export const AWS_CALLS_DIR = resolve(import.meta.dirname, '..', '..', '.test-output', 'aws-calls');

/** One call as recorded: the function, the client, the command, and the input's names. */
export interface RecordedCall {
  fn: FunctionName;
  service: string;
  command: string;
  /** The input's short strings, by dotted path (`TableName`, `Target.RoleArn`). */
  input: Record<string, string>;
}

/**
 * A recorder that appends one JSON line per call to a file of its own: suites run in
 * parallel workers, and one file per stack keeps their lines from interleaving.
 */
export function awsCallFile(dir = AWS_CALLS_DIR): AwsCallRecorder {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${randomUUID()}.jsonl`);
  return (fn, call) => {
    const line: RecordedCall = { fn, service: call.service, command: call.command, input: { ...batchTable(call.input), ...namesOf(call.input) } };
    // A run started meanwhile in this checkout clears the folder (its globalSetup): made again,
    // or every AWS call of this run would fail with the recorder's error (a 500 for each request).
    mkdirSync(dir, { recursive: true });
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
}

export function readAwsCalls(dir = AWS_CALLS_DIR): RecordedCall[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as RecordedCall);
}

export function clearAwsCalls(): void {
  rmSync(AWS_CALLS_DIR, { recursive: true, force: true });
}

/** Values never written down, though the tests' are made up. */
const SECRET_FIELDS = /^Secret(String|Binary)$/;

/** A batch call (BatchGetItem) names its table as the key of `RequestItems`: as `TableName`, like the other calls. */
function batchTable(input: Record<string, unknown>): Record<string, string> {
  const tables = input.RequestItems && typeof input.RequestItems === 'object' ? Object.keys(input.RequestItems) : [];
  return tables.length === 1 ? { TableName: tables[0]! } : {};
}

/**
 * What names a resource is a short string near the top of an input (TableName, Key,
 * SecretId, Target.RoleArn, QueueUrl), so only those are kept: no items, bodies or secrets.
 */
function namesOf(input: Record<string, unknown>, path = '', depth = 0): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (SECRET_FIELDS.test(key)) continue;
    if (typeof value === 'string' && value.length <= 256) names[`${path}${key}`] = value;
    else if (depth < 1 && value && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      Object.assign(names, namesOf(value as Record<string, unknown>, `${path}${key}.`, depth + 1));
    }
  }
  return names;
}
