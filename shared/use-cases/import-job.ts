import { readImportCsv, type ImportRow, type RowIssue } from '../api/import-csv.ts';
import type { JobMessage } from '../api/job-message.schema.ts';
import { ended, isActive, type ImportJob, type Job, type JobProblem } from '../domain/job.ts';
import { DependencyUnavailableError, ValidationError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { idForKey, type Idempotency } from './idempotent-create.ts';
import { jobFinished } from './job-finished.ts';
import { createJobOnce, inGroups, inputOf, resumeJob } from './job-start.ts';
import { importRow, readFirmIndex, rowProblem, type FirmIndex, type RowOutcome } from './import-rows.ts';
import { sendStep, type StepReport } from './zone-change-job.ts';

/**
 * An import's input, kept in the job's parts in the file's order: each data row once, as the
 * request read and checked it (a good row, or the row's issues), so steps never read the
 * upload again. A part is filled up to PART_BYTES: a DynamoDB item takes at most 400 KB, and
 * a checked row is at most about 15 KB (its longest cells are bounded by the API's rules).
 */
type Entry = ImportRow | { line: number; issues: RowIssue[] };
const PART_BYTES = 300_000;

/** Rows one step imports: each is at most a customer and a task with a template's notices, as a task save. */
export const ROWS_PER_STEP = 25;
/** Rows saved at once within a step, as apply saves tasks: far below the Scheduler's quotas. */
const ROWS_AT_ONCE = 5;

/**
 * Starts an import of a CSV file: answers at once with the job `queued`.
 * 1. The file read and every row checked (readImportCsv): a file that cannot be read as a
 *    whole (not UTF-8, no header, unknown columns, over 5,000 rows) is 422 and nothing starts.
 * 2. With an Idempotency-Key, the job's id comes from the key: a retry of the same upload
 *    finds the job and gets it back (its step sent again while it is active); the key with a
 *    different file is 409.
 * 3. The rows into the job's parts, then the job item, then its first step. A crash before
 *    the job item leaves parts no job names (a retry writes them again, the same).
 */
export async function startImport(ports: Ports, tenantId: string, bytes: Uint8Array, idempotency?: Idempotency): Promise<ImportJob> {
  const file = readImportCsv(bytes);
  if (!file.ok) throw new ValidationError(file.issues);
  const entries = entriesOf(file.rows, file.issues);
  if (!entries.length) throw ValidationError.of('(file)', 'min-items', 'has a header but no rows');
  const id = idempotency ? idForKey(tenantId, 'job', idempotency.key) : ports.ids.newId();
  if (idempotency) {
    const existing = await ports.store.getJob(tenantId, id);
    if (existing) return resumeJob(ports, tenantId, existing, idempotency, 'import');
  }
  const parts = packed(entries.map((entry) => JSON.stringify(entry)));
  const input = inputOf({ id, idempotency });
  for (const [index, part] of parts.entries()) await ports.store.putJobPart(tenantId, input, index, part);
  const now = ports.clock.now().toISOString();
  const job: ImportJob = {
    id,
    kind: 'import',
    parts: parts.length,
    state: 'queued',
    step: 0,
    total: entries.length,
    done: 0,
    skipped: 0,
    failed: 0,
    restarts: 0,
    startedAt: now,
    updatedAt: now,
    ...(idempotency ? { idempotency } : {}),
  };
  return createJobOnce(ports, tenantId, job, idempotency);
}

/** Good rows and bad rows (a row's issues together), in the file's order. */
function entriesOf(rows: ImportRow[], issues: RowIssue[]): Entry[] {
  const bad = new Map<number, RowIssue[]>();
  for (const issue of issues) bad.set(issue.line, [...(bad.get(issue.line) ?? []), issue]);
  const entries: Entry[] = [...rows, ...[...bad].map(([line, list]) => ({ line, issues: list }))];
  return entries.sort((a, b) => a.line - b.line);
}

function packed(values: string[]): string[][] {
  const parts: string[][] = [[]];
  let bytes = 0;
  for (const value of values) {
    const size = Buffer.byteLength(value) + 8;
    if (bytes + size > PART_BYTES && parts.at(-1)!.length) {
      parts.push([]);
      bytes = 0;
    }
    parts.at(-1)!.push(value);
    bytes += size;
  }
  return parts;
}

/**
 * One step of an import, safe to run twice or at once with a copy of itself (as an apply step):
 * 1. The message must name the step the job is at, or it is a late copy: nothing to do.
 * 2. The next rows (at most ROWS_PER_STEP) from the job's part at its cursor (`part.offset`).
 * 3. The firm's customers and templates, read once for the step; each row through importRow,
 *    a few at a time. A row the step wrote before a crash is found again and counted once
 *    (importRow). If the table or the Scheduler was unavailable, the step fails and SQS hands
 *    it out again.
 * 4. The rows' problems (one item per line and index), then the new position and counts in
 *    one write conditional on the step read, then the next step or the end (jobFinished).
 */
export async function runImportStep(ports: Ports, message: JobMessage, read?: Job): Promise<StepReport> {
  const { tenantId } = message;
  const report = { tenantId, jobId: message.jobId, step: message.step, tasks: 0, replanned: 0, failed: 0 };
  const job = read ?? (await ports.store.getJob(tenantId, message.jobId));
  if (!job || job.kind !== 'import' || !isActive(job) || job.step !== message.step) return { ...report, outcome: 'stale' };
  const { part, offset } = positionOf(job);
  const values = await ports.store.getJobPart(tenantId, inputOf(job), part);
  if (!values) throw new DependencyUnavailableError(`import ${job.id} has lost part ${part} of its rows`);
  const batch = values.slice(offset, offset + ROWS_PER_STEP).map((value) => JSON.parse(value) as Entry);
  const firm = batch.some((entry) => 'customer' in entry) ? await readFirmIndex(ports, tenantId) : undefined;
  const outcomes = await inGroups(batch, ROWS_AT_ONCE, (entry) => entryOutcome(ports, tenantId, job.id, firm, entry));
  const unavailable = outcomes.filter((o) => o instanceof Error);
  if (unavailable.length) throw new DependencyUnavailableError(`${unavailable.length} of ${batch.length} rows could not be saved yet`);
  const rows = outcomes as RowOutcome[];
  for (const { problems } of rows) for (const [index, problem] of problems.entries()) await ports.store.putJobProblem(tenantId, job.id, problem, index);

  const now = ports.clock.now().toISOString();
  const end = offset + batch.length;
  const nextPart = end < values.length ? part : part + 1;
  const finished = nextPart >= job.parts;
  const count = (outcome: RowOutcome['outcome']) => rows.filter((r) => r.outcome === outcome).length;
  const moved: ImportJob = {
    ...job,
    step: job.step + 1,
    cursor: `${nextPart}.${nextPart === part ? end : 0}`,
    done: job.done + count('done'),
    skipped: job.skipped + count('skipped'),
    failed: job.failed + count('failed'),
    restarts: 0,
    updatedAt: now,
  };
  const next: ImportJob = finished ? ended(moved, 'done', now) : { ...moved, state: 'running' };
  const counts = { tasks: batch.length, replanned: count('done'), failed: count('failed') };
  if (!(await ports.store.saveJob(tenantId, next, job.step))) return { ...report, ...counts, outcome: 'lost' };
  if (finished) await jobFinished(ports, tenantId, next);
  else await sendStep(ports, tenantId, next);
  return { ...report, ...counts, outcome: finished ? 'done' : 'running' };
}

/** The part and the place in it where the job reads on (`part.offset`; the start before the first step). */
function positionOf(job: ImportJob): { part: number; offset: number } {
  const [part = 0, offset = 0] = (job.cursor ?? '0.0').split('.').map(Number);
  return { part, offset };
}

/** A bad row fails with its issues, each as a problem; a good one is imported. */
async function entryOutcome(ports: Ports, tenantId: string, jobId: string, firm: FirmIndex | undefined, entry: Entry): Promise<RowOutcome> {
  if ('issues' in entry) return { outcome: 'failed', problems: entry.issues.map((issue) => invalid(issue)) };
  return importRow(ports, tenantId, jobId, firm!, entry);
}

function invalid({ line, column, rule, message }: RowIssue): JobProblem {
  return rowProblem(line, { column, rule, outcome: 'failed', code: 'invalid', message });
}
