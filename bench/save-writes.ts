import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../local/local-stack.ts';
import type { AwsCall } from '../shared/adapters/call-observer.ts';

/**
 * What a task save and a register page cost in AWS calls, counted as the API function's SDK
 * clients send them (one per command, before retries), through real HTTP into a fresh local
 * stack. Returns the section of docs/benchmarks.md.
 */
export async function saveWritesBench(): Promise<string> {
  const tenant = 'bench-saves';
  let now = new Date('2030-01-01T08:00:00Z');
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-saves-'));
  const calls: AwsCall[] = [];
  const stack = await startLocalStack({
    clock: { now: () => new Date(now) },
    dataDir,
    env: { LOG_LEVEL: 'SILENT' },
    recordAwsCalls: (fn, call) => fn === 'api' && calls.push(call),
  });
  try {
    const token = await stack.token(tenant);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Answer;
    };
    const cost = async (method: string, path: string, body?: unknown) => {
      calls.length = 0;
      await call(method, path, body);
      return tally(calls);
    };
    await call('PUT', '/settings', { firm: { name: 'Tall og Tid' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
    const notice = (offset: string, extra: object = {}) => ({
      when: 'before',
      offset,
      channels: ['email'],
      subject: 'Frist',
      message: 'Husk fristen.',
      ...extra,
    });
    const notices = [notice('P7D'), notice('P1D'), { ...notice('P1D'), when: 'after', repeat: { every: 7, times: 2 } }];
    const ROWS = 50;
    const ids: string[] = [];
    for (let n = 0; n < ROWS; n += 1) {
      const customer = await call('POST', '/customers', { name: `Kunde ${n} AS`, email: `kunde${n}@example.no` });
      ids.push((await call('POST', '/tasks', { title: `MVA ${n}`, customerId: customer.id, deadline: '2030-01-20', notices })).id);
    }
    // Every task's first notice goes out (13 January), so each row has delivery records.
    now = new Date('2030-01-13T08:00:30Z');
    await stack.runDue();
    // Each PUT starts from the task as stored then, with its version.
    const put = async (change: (task: Answer) => object) => {
      const task = await call('GET', `/tasks/${ids[0]}`);
      const { title, customerId, deadline, notices: stored, version } = task;
      return cost('PUT', `/tasks/${task.id}`, { title, customerId, deadline, notices: stored, version, ...change(task) });
    };
    const withoutIds = (task: Answer) => ({ notices: task.notices.map(({ id: _id, ...rest }) => rest) });
    const moveSecond = (task: Answer) => ({ notices: [task.notices[0], { ...task.notices[1], offset: 'P2D' }, ...task.notices.slice(2)] });
    const moveFirst = (task: Answer) => ({ notices: [{ ...task.notices[0], offset: 'P6D' }, ...task.notices.slice(1)] });
    const rows: [string, Tally][] = [
      ['PUT of the task as read (no change)', await put(() => ({}))],
      ['PUT of the same notices without their ids', await put(withoutIds)],
      ['PUT with a new title', await put(() => ({ title: 'MVA (ny)' }))],
      ['PUT that moves a notice whose time has passed (7 to 6 days before)', await put(moveFirst)],
      ['PUT that moves a notice still to come (1 to 2 days before)', await put(moveSecond)],
    ];
    rows.push([`GET /tasks?limit=${ROWS} (register page, every row with delivery records)`, await cost('GET', `/tasks?limit=${ROWS}`)]);
    rows.push([`GET /tasks?hasNotices=true&limit=${ROWS} (the keys-only index)`, await cost('GET', `/tasks?hasNotices=true&limit=${ROWS}`)]);
    return [
      '| request | DynamoDB reads | DynamoDB writes | Scheduler calls | calls in all |',
      '|---|---|---|---|---|',
      ...rows.map(([name, t]) => `| ${name} | ${t.reads} | ${t.writes} | ${t.scheduler} | ${t.reads + t.writes + t.scheduler} |`),
    ].join('\n');
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** What the bench reads of an answer: a task's fields, or a created item's id. */
interface Answer {
  id: string;
  title: string;
  customerId: string;
  deadline: string;
  version: number;
  notices: { id: string; [member: string]: unknown }[];
}

interface Tally {
  reads: number;
  writes: number;
  scheduler: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

function tally(calls: AwsCall[]): Tally {
  const dynamo = calls.filter((c) => c.service.startsWith('DynamoDB'));
  return {
    writes: dynamo.filter((c) => WRITES.has(c.command)).length,
    reads: dynamo.filter((c) => !WRITES.has(c.command)).length,
    scheduler: calls.filter((c) => c.service.startsWith('Scheduler')).length,
  };
}

/** What the page says under the table; the figures before are from one run of the code before issue 12. */
export const SAVE_WRITES_NOTES = `One firm, 50 customers, a task each (deadline 20 January, three e-mail notices: 7 and 1 days
before, and the day after repeated twice), every task's first notice sent on 13 January; each
PUT starts from the task as stored. Counted by the API function's SDK clients (one per command,
before retries), through real HTTP into a fresh local stack (\`saveWritesBench\` in
bench/save-writes.ts).

Before issue 12 (main at 660994a, the same bench, 2026-11-30): the PUT of the task as read
cost 4 reads, 1 write (the task item, and each index whose key it carries) and 0 Scheduler
calls; the PUT of the same notices without ids 6 reads, 1 write and **9 Scheduler calls**
(every occurrence created under new notice ids, the old ones deleted); a move of a notice still
to come 2 Scheduler calls (CreateSchedule + DeleteSchedule, none failing), as now; the register
page of 50 tasks **52 reads** (the index query, the customers, then a query of delivery records
per row), and through the keys-only index 54.

- A save that changes nothing now writes nothing and calls no Scheduler; notices sent back
  without ids take the stored ids of the notices they equal.
- A moved notice is one CreateSchedule and one DeleteSchedule (names are immutable and carry
  their instant: docs/decisions.md), or one CreateSchedule when the old time has passed (that
  schedule fired and deleted itself). The extra read of a move is the delivery records of the
  occurrence it removed (settle-removed.ts).
- A register page reads its customers and its tasks' warning marks in one BatchGetItem. The
  price is one conditional UpdateItem per final delivery outcome (sent, failed, skipped), on
  dispatch's side.`;
