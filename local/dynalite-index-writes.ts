import dynaliteDb from 'dynalite/db/index.js';

/**
 * dynalite puts every index entry of an item again on each write of it, changed or not.
 * DynamoDB writes an index only where the write changes what the index holds: an update that
 * leaves an index's keys and projected attributes as they were writes nothing there (and costs
 * no write unit there: bench/capacity-meter.ts counts the same rule). So a write of a task's
 * warning mark, which no keys-only index projects, costs the stand-in one item, not five; the
 * entries read back are the same either way. Installed once, for every dynalite in the process.
 */
export function writeOnlyChangedIndexEntries(): void {
  if (installed) return;
  installed = true;
  dynaliteDb.updateIndexes = (store, table, existingItem, item, cb) => {
    if (!existingItem && !item) return cb();
    const puts: Array<(done: Done) => void> = [];
    const deletes: Array<(done: Done) => void> = [];
    for (const indexType of ['Local', 'Global'] as const) {
      const indexes = table[`${indexType}SecondaryIndexes`] ?? [];
      const actions = dynaliteDb.getIndexActions(indexes, existingItem, item, table);
      // What the item held in each index before this write: its entry's key and attributes.
      const before = existingItem ? dynaliteDb.getIndexActions(indexes, null, existingItem, table).puts : [];
      for (const put of actions.puts) {
        const held = before.find((entry) => entry.index === put.index && entry.key === put.key);
        // Compared as JSON: the stand-in's items are plain attribute values (a differing order
        // of attributes only costs a write that was not needed).
        if (held && JSON.stringify(held.item) === JSON.stringify(put.item)) continue;
        const indexDb = store.getIndexDb(indexType, table.TableName, put.index);
        puts.push((done) => indexDb.put(put.key, put.item, done));
      }
      for (const del of actions.deletes) {
        const indexDb = store.getIndexDb(indexType, table.TableName, del.index);
        deletes.push((done) => indexDb.del(del.key, done));
      }
    }
    inParallel(deletes, (error) => (error ? cb(error) : inParallel(puts, cb)));
  };
}

let installed = false;

type Done = (error?: unknown) => void;

/** Runs the steps side by side; `cb` once, with the first error or when all have finished. */
function inParallel(steps: Array<(done: Done) => void>, cb: Done): void {
  let left = steps.length;
  let ended = false;
  if (!left) return cb();
  for (const step of steps) {
    step((error) => {
      if (ended) return;
      if (error) {
        ended = true;
        return cb(error);
      }
      if (--left === 0) cb();
    });
  }
}
