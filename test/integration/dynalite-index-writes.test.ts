import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import dynaliteDb from 'dynalite/db/index.js';
import { TABLE as LAYOUT } from '../../shared/adapters/table-layout.ts';
import { localTable } from './local-table.ts';

/**
 * The local DynamoDB writes an index entry only when a write changes what the index holds, as
 * DynamoDB does (local/dynalite-index-writes.ts); what the indexes answer stays what they
 * answered when every entry was written again.
 */
const TABLE = 'frist-index-writes';
const register = LAYOUT.indexes.register; // keys only
const documents = LAYOUT.indexes.documentsOfTask; // the whole item
const local = localTable(TABLE);
let installed: typeof dynaliteDb.updateIndexes;
/** The index entries the stand-in put, by index name. */
let puts: string[] = [];

beforeAll(() => {
  // Counts the entries put, around the installed writer.
  installed = dynaliteDb.updateIndexes;
  dynaliteDb.updateIndexes = (store, table, before, after, cb) =>
    installed(
      {
        getIndexDb: (type, name, index) => {
          const indexDb = store.getIndexDb(type, name, index);
          return { put: (key, item, done) => (puts.push(index), indexDb.put(key, item, done)), del: (key, done) => indexDb.del(key, done) };
        },
      },
      table,
      before,
      after,
      cb,
    );
});
afterAll(() => {
  dynaliteDb.updateIndexes = installed;
});

const key = { pk: { S: 'T#firm' }, sk: { S: 'K#task' } };

async function update(expression: string, values?: Record<string, AttributeValue>) {
  puts = [];
  await local.client().send(new UpdateItemCommand({ TableName: TABLE, Key: key, UpdateExpression: expression, ExpressionAttributeValues: values }));
  return puts;
}

async function query(index: { name: string; partitionKey: string }, partition: string) {
  const { Items } = await local.client().send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: index.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': index.partitionKey },
      ExpressionAttributeValues: { ':p': { S: partition } },
    }),
  );
  return Items ?? [];
}

describe('the local DynamoDB writes only the index entries a write changes', () => {
  it('puts an entry in each index whose keys a new item has', async () => {
    puts = [];
    const item = {
      ...key,
      note: { S: 'first' },
      [register.partitionKey]: { S: 'R#firm' },
      [register.sortKey]: { S: 'a' },
      [documents.partitionKey]: { S: 'D#task' },
      [documents.sortKey]: { S: '1' },
    };
    await local.client().send(new PutItemCommand({ TableName: TABLE, Item: item }));
    expect(puts.sort()).toEqual([documents.name, register.name].sort());
  });

  it('leaves a keys-only entry alone when no key of it changes, and rewrites a whole-item one', async () => {
    expect(await update('SET note = :n', { ':n': { S: 'second' } })).toEqual([documents.name]);
    expect(await query(register, 'R#firm')).toEqual([{ ...key, [register.partitionKey]: { S: 'R#firm' }, [register.sortKey]: { S: 'a' } }]);
    expect((await query(documents, 'D#task'))[0]?.note).toEqual({ S: 'second' });
  });

  it('writes nothing in an index when the write leaves the item as it was', async () => {
    expect(await update('SET note = :n', { ':n': { S: 'second' } })).toEqual([]);
  });

  it('moves an entry whose key changes, and takes out one whose key is removed', async () => {
    expect(await update(`SET ${register.sortKey} = :s REMOVE ${documents.partitionKey}`, { ':s': { S: 'b' } })).toEqual([register.name]);
    expect((await query(register, 'R#firm')).map((i) => i[register.sortKey]?.S)).toEqual(['b']);
    expect(await query(documents, 'D#task')).toEqual([]);
  });
});
