import type { AwsCall } from '../shared/adapters/call-observer.ts';
import type { Task } from '../shared/domain/model.ts';
import { CapacityMeter } from './capacity-meter.ts';
import { percentile } from './http-calls.ts';
import { seedTasks, withScaleStack, type TaskShape } from './scale-seed.ts';

/** "A few" DynamoDB calls for a register page (issue 12): the budget a first page is measured against. */
export const REGISTER_PAGE_CALL_BUDGET = 4;
const TENANT = 'bench-register-scale';
const CUSTOMERS = 200;
const PAGE = 25;
/** Each first page is asked this many times; its latency is the median. */
const TIMES = 3;

export interface FirstPage {
  query: string;
  items: number;
  more: boolean;
  calls: number;
  rru: number;
  medianMs: number;
}

export interface PagedToEnd {
  query: string;
  pages: number;
  items: number;
  expected: number;
  /** Pages before the last that were not full: 0 when the register keeps its promise. */
  shortPages: number;
  /** Pages without a row: a cursor after the last item shows as one. */
  emptyPages: number;
  maxCalls: number;
}

export interface RegisterScale {
  tasks: number;
  seedSeconds: number;
  firstPages: FirstPage[];
  pagedToEnd: PagedToEnd[];
}

/**
 * The firm: 200 customers, one of them big (a tenth of all tasks), the rest even; seven in ten
 * tasks completed (the history of past years), eight in ten with notices, deadlines spread
 * over 2026-2027. So the rare combinations (the big customer's open tasks without notices) are
 * what a filter after the read would have to dig for.
 */
function shapeOf(n: number, customers: string[], withNotices: Task['notices']): TaskShape {
  const day = new Date(Date.UTC(2026, 0, 1) + (spread(n, 1) % 730) * 86_400_000).toISOString().slice(0, 10);
  return {
    title: `Oppgave ${n}`,
    customerId: spread(n, 2) % 10 === 0 ? customers[0]! : customers[1 + (spread(n, 3) % (customers.length - 1))]!,
    deadline: day,
    status: spread(n, 4) % 10 < 7 ? 'completed' : 'open',
    notices: spread(n, 5) % 10 < 8 ? withNotices : [],
  };
}

/** A number from n and a salt that looks random and is the same every run (so each trait of a task is independent of the others). */
function spread(n: number, salt: number): number {
  let h = Math.imul(n ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

interface Filter {
  query: string;
  /** The query as the page shows it, the customers named by their part. */
  label: string;
  keep: (t: TaskShape) => boolean;
}

/** Every filter combination GET /tasks offers: customer (none, the big one, a typical one), status, a deadline range, the clock mark. */
function combinations(big: string, typical: string): Filter[] {
  const out: Filter[] = [];
  const names = new Map([
    [big, '<big>'],
    [typical, '<typical>'],
  ]);
  for (const customer of [undefined, big, typical])
    for (const status of [undefined, 'open', 'completed'])
      for (const range of [false, true])
        for (const notices of [undefined, true, false]) {
          const parts = [
            customer ? `customerId=${customer}` : '',
            status ? `status=${status}` : '',
            range ? 'deadlineFrom=2027-03-01&deadlineTo=2027-05-31' : '',
            notices === undefined ? '' : `hasNotices=${notices}`,
          ].filter(Boolean);
          const query = parts.join('&');
          out.push({
            query,
            label: (customer ? query.replace(customer, names.get(customer)!) : query) || '(none)',
            keep: (t) =>
              (!customer || t.customerId === customer) &&
              (!status || t.status === status) &&
              (!range || (t.deadline! >= '2027-03-01' && t.deadline! <= '2027-05-31')) &&
              (notices === undefined || t.notices.length > 0 === notices),
          });
        }
  return out;
}

/**
 * The register over `count` tasks: the first page of every filter combination (DynamoDB calls
 * of the api function, read units by DynamoDB's rules, latency through real HTTP), and a few
 * filters paged to the end (every page but the last full, no cursor after the last, every
 * matching task listed once).
 */
export async function registerScaleBench(count: number): Promise<RegisterScale> {
  const meter = new CapacityMeter('eu-north-1');
  const calls: AwsCall[] = [];
  const now = new Date('2026-06-01T08:00:00Z');
  return withScaleStack(
    { clock: { now: () => new Date(now) }, frontDynamoDb: (endpoint) => meter.start(endpoint), recordAwsCalls: (fn, call) => fn === 'api' && calls.push(call) },
    async (scale) => {
      try {
        const token = await scale.stack.token(TENANT);
        const call = async (method: string, path: string, body?: unknown) => {
          const res = await fetch(`${scale.stack.apiUrl}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
          return (await res.json()) as { id: string; items: { id: string }[]; nextCursor?: string };
        };
        await call('PUT', '/settings', { firm: { name: 'Tall og Tid' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
        const customers: string[] = [];
        for (let i = 0; i < CUSTOMERS; i += 1) customers.push((await call('POST', '/customers', { name: `Kunde ${i} AS`, email: `kunde${i}@example.no` })).id);
        const notice = { when: 'before', offset: 'P7D', channels: ['email'], subject: 'Frist', message: 'Husk {{task.title}}.' };
        const created = await call('POST', '/tasks', { title: 'Modell', customerId: customers[0], deadline: '2027-01-10', notices: [notice] });
        const model = (await scale.stack.ports.store.getTask(TENANT, created.id))!;
        await scale.seed.deleteTask(TENANT, created.id, model.version);
        const shapes = Array.from({ length: count }, (_, n) => shapeOf(n, customers, model.notices));
        const started = performance.now();
        const ids = await seedTasks(scale, TENANT, model, count, (n) => shapes[n]!, { now, schedulesConfirmed: true });
        const seedSeconds = (performance.now() - started) / 1000;
        const byId = new Map(ids.map((id, n) => [id, shapes[n]!]));
        const page = async (query: string, cursor?: string) => {
          calls.length = 0;
          meter.reset();
          const start = performance.now();
          const answer = await call('GET', `/tasks?${query}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`);
          const ms = performance.now() - start;
          const rru = [...meter.reads.values()].reduce((a, b) => a + b, 0);
          return { answer, ms, calls: calls.filter((c) => c.service.startsWith('DynamoDB')).length, rru };
        };
        const combos = combinations(customers[0]!, customers[1]!);
        const firstPages: FirstPage[] = [];
        for (const { query, label } of combos) {
          const runs = [];
          for (let i = 0; i < TIMES; i += 1) runs.push(await page(query));
          const first = runs[0]!;
          firstPages.push({
            query: label,
            items: first.answer.items.length,
            more: Boolean(first.answer.nextCursor),
            calls: first.calls,
            rru: first.rru,
            medianMs: percentile(
              runs.map((r) => r.ms).sort((a, b) => a - b),
              50,
            ),
          });
        }
        const pagedToEnd: PagedToEnd[] = [];
        const labelled = (l: string) => combos.find((c) => c.label === l)!;
        for (const { query, label, keep } of [
          labelled('status=open&hasNotices=false'),
          labelled('customerId=<big>&status=open&hasNotices=false'),
          labelled('customerId=<big>&status=open'),
          labelled('status=completed&deadlineFrom=2027-03-01&deadlineTo=2027-05-31'),
        ]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          let shortPages = 0;
          let emptyPages = 0;
          let maxCalls = 0;
          do {
            const { answer, calls: n } = await page(query, cursor);
            pages += 1;
            maxCalls = Math.max(maxCalls, n);
            cursor = answer.nextCursor;
            if (cursor && answer.items.length < PAGE) shortPages += 1;
            if (!answer.items.length) emptyPages += 1;
            seen.push(...answer.items.map((item) => item.id));
          } while (cursor);
          const expected = ids.filter((id) => keep(byId.get(id)!)).length;
          if (new Set(seen).size !== seen.length || !seen.every((id) => keep(byId.get(id)!)))
            throw new Error(`${query}: a task listed twice or outside the filter`);
          pagedToEnd.push({ query: label, pages, items: seen.length, expected, shortPages, emptyPages, maxCalls });
        }
        return { tasks: count, seedSeconds, firstPages, pagedToEnd };
      } finally {
        await meter.stop();
      }
    },
  );
}

/** The register's part of the "At scale" section: a table per size, and the filters paged to the end. */
export function registerScaleSection(results: RegisterScale[]): string {
  const firstPageRows = (r: RegisterScale) =>
    r.firstPages.map(
      (p) =>
        `| ${p.query} | ${p.items}${p.more ? ' +' : ''} | ${p.calls} | **${(p.calls / REGISTER_PAGE_CALL_BUDGET).toFixed(2)}** | ${p.rru.toFixed(1)} | ${p.medianMs.toFixed(0)} |`,
    );
  const worst = (r: RegisterScale) => Math.max(...r.firstPages.map((p) => p.calls));
  return results
    .map((r) =>
      [
        `**${r.tasks.toLocaleString('en-US')} tasks** (seeded in ${r.seedSeconds.toFixed(0)} s). The most calls a first page took: ${worst(r)}, **${(worst(r) / REGISTER_PAGE_CALL_BUDGET).toFixed(2)}** of the budget of ${REGISTER_PAGE_CALL_BUDGET}.`,
        '',
        `| filter (first page, limit ${PAGE}) | rows (+ more) | DynamoDB calls | to the budget | read units | median ms |`,
        '|---|---|---|---|---|---|',
        ...firstPageRows(r),
        '',
        `| paged to the end (limit ${PAGE}) | pages | tasks listed / matching | short pages before the last | empty pages | most calls on a page |`,
        '|---|---|---|---|---|---|',
        ...r.pagedToEnd.map((p) => `| ${p.query} | ${p.pages} | ${p.items} / ${p.expected} | ${p.shortPages} | ${p.emptyPages} | ${p.maxCalls} |`),
      ].join('\n'),
    )
    .join('\n\n');
}
