import type { Customer, Settings, Task } from '../domain/model.ts';
import type { ItemRef, SendingPorts } from '../ports.ts';
import { defaultSettings } from './settings.ts';

/**
 * The reads of one notice of a dispatch batch (batchReads). Its messages run side by side, and
 * their reads go to the table together, as one BatchGetItem, consistent as a GetItem: a batch
 * of 10 notices reads its tasks in one call, then their customers and firms' settings in
 * another, whatever firms they are of, then the tasks again after the claims in a third.
 * - `task`, `customer`, `settings`: the reads before the claims, made once per batch however
 *   many of its notices concern the same item (settings also come from the container's
 *   cache, composition.ts).
 * - `taskNow`, `customerNow`: what must be read again after a claim (dispatch-notice.ts):
 *   never an earlier answer, always a read that starts after the caller asked for it, so after
 *   the claim it wrote; only joined with other such reads.
 */
export interface BatchReads {
  task(tenantId: string, taskId: string): Promise<Task | undefined>;
  settings(tenantId: string): Promise<Settings>;
  customer(tenantId: string, customerId: string): Promise<Customer | undefined>;
  taskNow(tenantId: string, taskId: string): Promise<Task | undefined>;
  customerNow(tenantId: string, customerId: string): Promise<Customer | undefined>;
}

/** A batch of `notices` notices: `notice()` gives each its reads, whose `done()` it calls when it has finished. */
export interface Batch {
  notice(): BatchReads & { done(): void };
}

interface Wanted {
  ref: ItemRef;
  resolve: (item: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads for one batch (a new one per invocation). The reads asked for are sent once every
 * notice of the batch is waiting for one or has finished, so that they all go in one call:
 * a notice is never kept waiting by another for longer than that one takes to reach its next
 * read, and the batch's invocation ends only with its slowest notice anyway. A read that failed
 * fails for every notice that asked; one that asks again reads again.
 */
export function batchReads(ports: Pick<SendingPorts, 'store'>, notices = 1): Batch {
  const read = joinedReads(ports, notices);
  const made = new Map<string, Promise<unknown>>();
  const once = <T>(asker: number, ref: ItemRef): Promise<T> => {
    const key = JSON.stringify(ref);
    const pending = made.get(key) as Promise<T> | undefined;
    if (pending) return read.join(asker, pending);
    const asked = read.ask<T>(asker, ref);
    made.set(key, asked);
    asked.catch(() => made.delete(key));
    return asked;
  };
  let askers = 0;
  return {
    notice: () => {
      const asker = askers++;
      return {
        task: (tenantId, id) => once(asker, { kind: 'task', tenantId, id }),
        settings: async (tenantId) => (await once<Settings | undefined>(asker, { kind: 'settings', tenantId })) ?? defaultSettings(),
        customer: (tenantId, id) => once(asker, { kind: 'customer', tenantId, id }),
        taskNow: (tenantId, id) => read.ask(asker, { kind: 'task', tenantId, id }),
        customerNow: (tenantId, id) => read.ask(asker, { kind: 'customer', tenantId, id }),
        done: () => read.done(),
      };
    },
  };
}

/** Reads by key, sent together when each of the batch's notices waits for one or has finished. */
function joinedReads(ports: Pick<SendingPorts, 'store'>, notices: number) {
  let wanted: Wanted[] = [];
  let finished = 0;
  let sending = false;
  /** How many reads each notice waits for, sent or not (a read another notice asked for first included). */
  const waiting = new Map<number, number>();
  const send = async () => {
    const asked = wanted;
    wanted = [];
    sending = false;
    try {
      const items = await ports.store.getByKeys(asked.map((w) => w.ref));
      // An item that could not be read fails its own askers only (Store.getByKeys).
      asked.forEach((w, i) => (items[i] instanceof Error ? w.reject(items[i]) : w.resolve(items[i])));
    } catch (error) {
      asked.forEach((w) => w.reject(error));
    }
  };
  // Sent in the next turn of the event loop: asks made in this one (a notice's customer and
  // settings, the notices going on from one answer) join the call.
  const sendWhenAllWait = () => {
    if (sending || !wanted.length || waiting.size + finished < notices) return;
    sending = true;
    setImmediate(() => void send());
  };
  const join = <T>(asker: number, read: Promise<T>): Promise<T> => {
    waiting.set(asker, (waiting.get(asker) ?? 0) + 1);
    const over = () => {
      const left = waiting.get(asker)! - 1;
      if (left) waiting.set(asker, left);
      else waiting.delete(asker);
    };
    read.then(over, over);
    sendWhenAllWait();
    return read;
  };
  return {
    join,
    ask: <T>(asker: number, ref: ItemRef) =>
      join(
        asker,
        new Promise<T>((resolve, reject) => {
          wanted.push({ ref, resolve: resolve as (item: unknown) => void, reject });
        }),
      ),
    done: () => {
      finished += 1;
      sendWhenAllWait();
    },
  };
}
