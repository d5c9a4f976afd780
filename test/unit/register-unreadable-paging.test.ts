import { describe, expect, it } from 'vitest';
import type { Task } from '../../shared/domain/model.ts';
import { UnreadableTaskError } from '../../shared/errors.ts';
import type { Ports, TaskPage, UnreadableEntry } from '../../shared/ports.ts';
import { PAGE_RESPONSE_BYTES } from '../../shared/use-cases/page-size.ts';
import { listTasks } from '../../shared/use-cases/tasks.ts';

/**
 * A register page cut short for size (page-size.ts) goes on after its last row. An unreadable
 * task that the store read past that row is read again by the next page: it must be named on
 * the page whose range holds it, once, as every task is listed once.
 */

/** A row of about a third of what a page may weigh: three fit, the fourth does not. */
const HEAVY = 'x'.repeat(Math.floor(PAGE_RESPONSE_BYTES / 3.2));

function task(id: string): Task {
  return {
    id,
    title: id,
    customerId: 'c1',
    description: HEAVY,
    notices: [],
    status: 'open',
    version: 1,
    createdAt: '2027-01-01T00:00:00Z',
    updatedAt: '2027-01-01T00:00:00Z',
    plan: { timeZone: 'Europe/Oslo', occurrences: [] },
  } as unknown as Task;
}

/**
 * A store over one index of entries in order, `X…` the unreadable ones: a page is the next
 * `limit` entries after the cursor (the id of the entry it was made after), as the table pages.
 */
function storeOver(index: string[]) {
  const logged: string[] = [];
  const queryTasks = (_tenantId: string, query: { limit: number; cursor?: string }): TaskPage => {
    const start = query.cursor ? index.indexOf(query.cursor) + 1 : 0;
    const entries = index.slice(start, start + query.limit);
    const items: Task[] = [];
    const unreadable: UnreadableEntry[] = [];
    for (const id of entries) {
      if (id.startsWith('X')) unreadable.push({ error: new UnreadableTaskError(id, new Error('damaged')), after: items.length });
      else items.push(task(id));
    }
    const more = start + query.limit < index.length;
    return { items, unreadable, ...(more ? { nextCursor: entries.at(-1)! } : {}) };
  };
  const ports = {
    store: {
      queryTasks: async (tenantId: string, query: { limit: number; cursor?: string }) => queryTasks(tenantId, query),
      registerDetails: async () => ({ customers: [{ id: 'c1', name: 'Kunde' }], marks: new Map(ids(index).map((id) => [id, []])) }),
      taskCursorAfter: (_tenantId: string, _query: unknown, t: Task) => t.id,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: (_message: string, extra: { taskId: string }) => logged.push(extra.taskId) },
    clock: { now: () => new Date('2027-01-01T00:00:00Z') },
  } as unknown as Ports;
  return { ports, logged };
}

const ids = (index: string[]) => index.filter((id) => !id.startsWith('X'));

/** Every page at `limit`: the ids listed, and the ids named unreadable, page by page. */
async function pages(ports: Ports, limit: number) {
  const seen: { items: string[]; unreadable: string[] }[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTasks(ports, 'firm', { limit, ...(cursor ? { cursor } : {}) });
    seen.push({ items: page.items.map((t) => t.id), unreadable: (page.unreadable ?? []).map((u) => u.id) });
    cursor = page.nextCursor;
  } while (cursor && seen.length < 20);
  return seen;
}

describe('unreadable tasks on a register page cut short for size', () => {
  it('are each named once, on the page whose range holds them, and logged there', async () => {
    // Read at limit 10, the first page holds all eight entries; only T0-T2 fit, so it ends after T2.
    const index = ['X0', 'T0', 'X1', 'T1', 'T2', 'X2', 'T3', 'T4', 'X3'];
    const { ports, logged } = storeOver(index);
    const seen = await pages(ports, 10);
    expect(seen).toEqual([
      { items: ['T0', 'T1', 'T2'], unreadable: ['X0', 'X1'] },
      { items: ['T3', 'T4'], unreadable: ['X2', 'X3'] },
    ]);
    expect(logged).toEqual(['X0', 'X1', 'X2', 'X3']);
  });

  it('name all that the page read when it is not cut short', async () => {
    const { ports } = storeOver(['T0', 'X0', 'T1', 'X1']);
    expect(await pages(ports, 10)).toEqual([{ items: ['T0', 'T1'], unreadable: ['X0', 'X1'] }]);
  });

  it('name one read right after the last row that fits on the next page, as at a cursor', async () => {
    const { ports } = storeOver(['T0', 'T1', 'T2', 'X0', 'T3']);
    expect(await pages(ports, 10)).toEqual([
      { items: ['T0', 'T1', 'T2'], unreadable: [] },
      { items: ['T3'], unreadable: ['X0'] },
    ]);
  });
});
