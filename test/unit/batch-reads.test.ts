import { describe, expect, it } from 'vitest';
import type { ItemRef, SendingPorts } from '../../shared/ports.ts';
import { batchReads } from '../../shared/use-cases/batch-reads.ts';

/** A store whose reads by key are recorded and answered when the test says. */
function recordingStore() {
  const calls: { refs: readonly ItemRef[]; answer: (error?: Error) => void }[] = [];
  const store = {
    getByKeys: (refs: readonly ItemRef[]) =>
      new Promise((resolve, reject) => {
        calls.push({ refs, answer: (error) => (error ? reject(error) : resolve(refs.map((ref) => ('id' in ref ? { id: ref.id } : undefined)))) });
      }),
  } as unknown as SendingPorts['store'];
  return { store, calls };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the reads of a dispatch batch', () => {
  it('sends what its notices ask for once each waits for a read or has finished', async () => {
    const { store, calls } = recordingStore();
    const batch = batchReads({ store }, 3);
    const [a, b, c] = [batch.notice(), batch.notice(), batch.notice()];
    const readA = a.task('f1', 't1');
    const readB = b.task('f2', 't2');
    await turn();
    // c is doing something else (a claim, a send): the reads wait for it.
    expect(calls).toHaveLength(0);
    c.done();
    await turn();
    expect(calls.map((call) => call.refs)).toEqual([
      [
        { kind: 'task', tenantId: 'f1', id: 't1' },
        { kind: 'task', tenantId: 'f2', id: 't2' },
      ],
    ]);
    calls[0]!.answer();
    expect(await readA).toEqual({ id: 't1' });
    expect(await readB).toEqual({ id: 't2' });
  });

  it('reads an item asked for before the claims once, but an item asked for again after them afresh', async () => {
    const { store, calls } = recordingStore();
    const batch = batchReads({ store }, 2);
    const [a, b] = [batch.notice(), batch.notice()];
    const both = Promise.all([a.customer('f', 'c1'), b.customer('f', 'c1'), a.settings('f')]);
    await turn();
    expect(calls.map((call) => call.refs.length)).toEqual([2]);
    calls[0]!.answer();
    const [first, second, settings] = await both;
    expect(first).toBe(second);
    // Never saved settings read as the defaults.
    expect(settings.version).toBe(0);
    const again = Promise.all([a.customerNow('f', 'c1'), b.taskNow('f', 't')]);
    await turn();
    expect(calls.map((call) => call.refs.length)).toEqual([2, 2]);
    calls[1]!.answer();
    expect(await again).toEqual([{ id: 'c1' }, { id: 't' }]);
  });

  it('fails a read for every notice that asked, and reads again for the next that asks', async () => {
    const { store, calls } = recordingStore();
    const batch = batchReads({ store }, 2);
    const [a, b] = [batch.notice(), batch.notice()];
    const failed = Promise.allSettled([a.task('f', 't'), b.task('f', 't')]);
    await turn();
    calls[0]!.answer(new Error('ProvisionedThroughputExceededException'));
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    b.done();
    const retried = a.task('f', 't');
    await turn();
    expect(calls).toHaveLength(2);
    calls[1]!.answer();
    expect(await retried).toEqual({ id: 't' });
  });
});
