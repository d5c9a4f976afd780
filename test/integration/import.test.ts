import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';
import { BAD_ROWS, HEADER, excelCsv, goodRow, lineOf, norwegianExcelFile } from './import-files.ts';
import { JobsObserver, runJob } from './jobs-harness.ts';

// A firm moves its practice onto Frist with one file from Excel: 500 rows, 12 of them bad.
// Every bad row is reported by line, column and rule; the good ones are imported in the
// background; the same file again creates nothing twice; a job killed half-way and resumed
// imports each row once. The steps through 500 rows take seconds, more on a loaded machine:
// those tests have 60 s instead of 20, and those that run 250 rows or more LONG (ten steps
// take 5-14 s of CPU; on a shared 2-core machine at a load average of 12-15 they took up to
// 138 s). Each waits for the job's state (runJob), never for a time.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const jobs = new JobsObserver();
const LONG = 300_000;
const TENANT = 'firm-import';
let stack: TestStack;
let api: ApiClient;
let templateId: string;

const upload = (a: ApiClient, csv: string | Uint8Array, key?: string) =>
  a.call('POST', '/imports', csv, { 'content-type': 'text/csv', ...(key ? { 'idempotency-key': key } : {}) });

/** Every item of a paged list. */
async function all(a: ApiClient, path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await a.get(`${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

const countBy = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
const twice = (values: string[]) => [...countBy(values)].filter(([, n]) => n > 1).map(([v]) => v);

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: jobs.wrap });
  api = await stack.as(TENANT);
  await api.put('/settings', { version: 0 });
  const template = await api.post('/templates', { name: 'MVA', notices: [emailNotice({ offset: 'P7D' })] });
  expect(template.status).toBe(201);
  templateId = template.body.id;
}, 60_000);
afterAll(() => stack.stop());

describe('a 500-row file in Norwegian Excel format with 12 bad rows', () => {
  let jobId: string;

  it('answers 202 at once with the job queued, and imports nothing inside the request', async () => {
    const res = await upload(api, norwegianExcelFile(), 'import-1');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ kind: 'import', state: 'queued', total: 500, done: 0, skipped: 0, failed: 0 });
    jobId = res.body.id;
    expect(await all(api, '/customers')).toEqual([]);
  });

  it(
    'dies half-way (after importing the rows of step 10, before recording them)',
    async () => {
      jobs.crashAtStep(10);
      await runJob(stack, TENANT, jobId, () => jobs.crashed.length > 0);
      expect(jobs.crashed).toEqual([{ jobId, step: 10 }]);
      const job = (await api.get(`/jobs/${jobId}`)).body;
      expect(job.state).toBe('running');
      expect(job.done + job.skipped + job.failed).toBe(250);
    },
    LONG,
  );

  it(
    'resumes when the upload is sent again with the same key, and finishes: 488 rows done, 12 failed',
    async () => {
      const again = await upload(api, norwegianExcelFile(), 'import-1');
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(jobId);
      await runJob(stack, TENANT, jobId);

      const job = (await api.get(`/jobs/${jobId}`)).body;
      expect(job).toMatchObject({ state: 'done', total: 500, done: 488, skipped: 0, failed: 12 });
      // Twenty steps of 25 rows, each recorded once: the one that died was taken again.
      const recorded = jobs.stepsOf(jobId).filter((s) => s.outcome !== 'stale');
      expect(recorded.map((s) => s.step)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(recorded.find((s) => s.step === 10)).toMatchObject({ tasks: 25, replanned: 24, failed: 1 });
    },
    LONG,
  );

  it('reports each bad row by its line, its column as the file names it, and the rule', async () => {
    const problems = await all(api, `/jobs/${jobId}/problems`);
    const found = problems.map((p) => [p.line, p.column, p.rule]);
    const expected = Object.entries(BAD_ROWS).map(([index, bad]) => [lineOf(Number(index)), bad.column, bad.rule]);
    expect(found).toEqual(expected);
    expect(problems.every((p) => p.outcome === 'failed' && p.code === 'invalid' && p.message && p.taskId === undefined)).toBe(true);
    // A 40,000-character cell is named, never echoed.
    expect(Math.max(...problems.map((p) => JSON.stringify(p).length))).toBeLessThan(400);
  });

  it('imported each good row once: 100 customers, 488 tasks with their external ids, the template where named', async () => {
    const customers = await all(api, '/customers');
    expect(customers).toHaveLength(100);
    expect(twice(customers.map((c) => c.customerNumber))).toEqual([]);
    const tasks = await all(api, '/tasks');
    expect(tasks).toHaveLength(488);
    expect(twice(tasks.map((t) => t.externalId))).toEqual([]);
    const task = tasks.find((t) => t.externalId === 'EXT-3')!;
    expect(task).toMatchObject({ title: 'MVA-melding 3', deadline: '2027-02-10', description: 'Termin 6; husk vedlegg', version: 1 });
    expect(task.template).toEqual({ id: templateId, version: 1 });
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-02-03T08:00:00)']);
    expect(tasks.find((t) => t.externalId === 'EXT-4')).toMatchObject({ notices: [] });
  });
});

describe('importing again', () => {
  it(
    'creates nothing twice: the same file again is every row skipped (the bad ones failed again)',
    async () => {
      const res = await upload(api, norwegianExcelFile());
      await runJob(stack, TENANT, res.body.id);
      const job = (await api.get(`/jobs/${res.body.id}`)).body;
      expect(job).toMatchObject({ state: 'done', done: 0, skipped: 488, failed: 12 });
      expect(await all(api, '/customers')).toHaveLength(100);
      expect(await all(api, '/tasks')).toHaveLength(488);
    },
    LONG,
  );

  it('keeps a customer and a task the file says otherwise about, and says so', async () => {
    const changed = goodRow(5);
    changed[2] = 'ny-adresse@example.no';
    changed[5] = 'Ny tittel';
    const res = await upload(api, excelCsv(HEADER, [changed]));
    await runJob(stack, TENANT, res.body.id);
    const job = (await api.get(`/jobs/${res.body.id}`)).body;
    expect(job).toMatchObject({ done: 0, skipped: 1, failed: 0 });
    expect(job.problems).toEqual([
      { line: 2, column: 'email', rule: 'customer-kept', outcome: 'skipped', code: 'customer-kept', message: expect.stringContaining('email') },
      { line: 2, column: 'title', rule: 'task-kept', outcome: 'skipped', code: 'task-kept', message: expect.stringContaining('title') },
    ]);
    const customer = (await all(api, '/customers')).find((c) => c.customerNumber === '10005');
    expect(customer.email).toBe('kunde5@example.no');
  });

  it('creates a new customer once from two rows that disagree about it, and says which row was not followed', async () => {
    const first = goodRow(0).map((cell, c) => (c === 0 ? '20500' : c === 4 ? 'TWO-1' : c === 9 ? '' : cell));
    const second = first.map((cell, c) => (c === 2 ? 'annen@example.no' : c === 4 ? 'TWO-2' : cell));
    const res = await upload(api, excelCsv(HEADER, [first, second]));
    await runJob(stack, TENANT, res.body.id);
    const job = (await api.get(`/jobs/${res.body.id}`)).body;
    expect(job).toMatchObject({ done: 2, skipped: 0, failed: 0 });
    const customers = (await all(api, '/customers')).filter((c) => c.customerNumber === '20500');
    expect(customers).toHaveLength(1);
    expect(job.problems).toEqual([expect.objectContaining({ column: 'email', rule: 'customer-kept', outcome: 'skipped' })]);
    expect([2, 3]).toContain(job.problems[0].line);
  });

  it('finds a customer the firm made by hand by its organisation number, and adds only the task', async () => {
    const made = await api.post('/customers', { name: 'Fjord Regnskap AS', orgNumber: '974760673', email: 'post@fjord.no' });
    expect(made.status).toBe(201);
    const csv = excelCsv(
      ['Organisasjonsnummer', 'Navn', 'Oppgave-id', 'Tittel', 'Frist'],
      [['974760673', 'Fjord Regnskap AS', 'ORG-1', 'Årsoppgjør', '31.05.2027']],
    );
    const res = await upload(api, csv);
    await runJob(stack, TENANT, res.body.id);
    expect((await api.get(`/jobs/${res.body.id}`)).body).toMatchObject({ done: 1, skipped: 0, failed: 0, problems: [] });
    const tasks = (await all(api, `/tasks?customerId=${made.body.id}`)).map((t) => t.externalId);
    expect(tasks).toEqual(['ORG-1']);
  });
});

describe('two imports of the same new customers and tasks at once', () => {
  it('create each customer and each task once, whichever import gets there first', async () => {
    const firm = await stack.as('firm-import-race');
    await firm.put('/settings', { version: 0 });
    const rows = Array.from({ length: 60 }, (_, i) => goodRow(i, 10).map((cell, c) => (c === 9 ? '' : cell)));
    const [a, b] = await Promise.all([upload(firm, excelCsv(HEADER, rows)), upload(firm, excelCsv(HEADER, rows.slice().reverse()))]);
    expect([a.status, b.status]).toEqual([202, 202]);
    // One after the other: a step of one job must not be in flight while the other's run looks at the queue.
    await runJob(stack, 'firm-import-race', a.body.id);
    await runJob(stack, 'firm-import-race', b.body.id);

    const [jobA, jobB] = await Promise.all([firm.get(`/jobs/${a.body.id}`), firm.get(`/jobs/${b.body.id}`)]);
    for (const job of [jobA.body, jobB.body]) expect(job).toMatchObject({ state: 'done', failed: 0, problems: [] });
    expect(jobA.body.done + jobA.body.skipped).toBe(60);
    expect(jobA.body.done + jobB.body.done).toBeGreaterThanOrEqual(60);
    const customers = await all(firm, '/customers');
    expect(customers.map((c) => c.customerNumber).sort()).toEqual(Array.from({ length: 10 }, (_, c) => String(10000 + c)));
    const tasks = await all(firm, '/tasks');
    expect(tasks).toHaveLength(60);
    expect(twice(tasks.map((t) => t.externalId))).toEqual([]);
  }, 60_000);
});

describe('a file of long rows', () => {
  it('keeps its rows in several parts (each under the 400 KB of a DynamoDB item) and imports every one', async () => {
    const firm = await stack.as('firm-import-long');
    await firm.put('/settings', { version: 0 });
    // 4,000 characters of two bytes each: 8 KB a row, 1.6 MB in all, over five parts.
    const rows = Array.from({ length: 200 }, (_, i) => goodRow(i, 20).map((cell, c) => (c === 8 ? 'æ'.repeat(4000) : c === 9 ? '' : cell)));
    const res = await upload(firm, excelCsv(HEADER, rows));
    expect(res.status).toBe(202);
    const stored = await stack.ports.store.getJob('firm-import-long', res.body.id);
    expect(stored).toMatchObject({ kind: 'import', parts: 6 });
    await runJob(stack, 'firm-import-long', res.body.id);
    expect((await firm.get(`/jobs/${res.body.id}`)).body).toMatchObject({ state: 'done', total: 200, done: 200, failed: 0 });
    expect(await all(firm, '/tasks')).toHaveLength(200);
  }, 60_000);
});

describe('tenancy', () => {
  it("shows a firm's import to that firm only, and matches only that firm's customers", async () => {
    const other = await stack.as('firm-import-other');
    await other.put('/settings', { version: 0 });
    const res = await upload(other, excelCsv(HEADER, [goodRow(1).map((cell, c) => (c === 9 ? '' : cell))]));
    await runJob(stack, 'firm-import-other', res.body.id);
    expect((await other.get(`/jobs/${res.body.id}`)).body).toMatchObject({ done: 1 });
    expect((await api.get(`/jobs/${res.body.id}`)).status).toBe(404);
    expect((await api.get(`/jobs/${res.body.id}/problems`)).status).toBe(404);
    // The same customer number and external id as firm-import's: a customer and a task of its own.
    const [customer] = await all(other, '/customers');
    expect(customer).toMatchObject({ customerNumber: '10001' });
    expect((await all(api, '/customers')).map((c) => c.id)).not.toContain(customer.id);
  });
});

describe('bodies that are not an import', () => {
  const problemOf = (res: { body: any }) => res.body.errors?.map((e: { field: string; rule: string }) => [e.field, e.rule]);

  it('refuses an empty body, a body of another type, a body over 2 MiB', async () => {
    const empty = await api.call('POST', '/imports', '', { 'content-type': 'text/csv' });
    expect(empty.status).toBe(422);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.call('POST', '/imports', { rows: [] })).status).toBe(415);
    const big = `${HEADER.join(';')}\r\n${'x;'.repeat(1024 * 1024 + 10)}`;
    const tooLarge = await upload(api, big);
    expect(tooLarge.status).toBe(413);
  });

  it('refuses a file it cannot read as a whole, naming why, and starts nothing', async () => {
    const headerOnly = await upload(api, excelCsv(HEADER, []));
    expect([headerOnly.status, problemOf(headerOnly)]).toEqual([422, [['(file)', 'min-items']]]);
    const latin1 = await upload(api, new Uint8Array([...Buffer.from('Kundenummer;Navn\r\n1;'), 0xe6, 0x72, 0x65]));
    expect([latin1.status, problemOf(latin1)]).toEqual([422, [['(file)', 'encoding']]]);
    const unknown = await upload(api, `Kundenummer;${'Z'.repeat(40_000)}\r\n1;2\r\n`);
    expect(unknown.status).toBe(422);
    expect(problemOf(unknown)).toEqual([
      ['(header).2', 'unknown-field'],
      ['(header)', 'required'],
    ]);
    expect(JSON.stringify(unknown.body).length).toBeLessThan(2000);
    const json = await upload(api, '{"not":"csv"}');
    expect(json.status).toBe(422);
    const nul = await upload(api, 'Kundenummer;Navn\r\n1;A\u0000B\r\n');
    expect([nul.status, problemOf(nul)]).toEqual([422, [['(file)', 'text']]]);
  });

  it('refuses a key used for another file', async () => {
    const first = await upload(api, excelCsv(HEADER, [goodRow(1)]), 'import-key-reuse');
    expect(first.status).toBe(202);
    const other = await upload(api, excelCsv(HEADER, [goodRow(2)]), 'import-key-reuse');
    expect(other.status).toBe(409);
    await runJob(stack, TENANT, first.body.id);
  });
});
