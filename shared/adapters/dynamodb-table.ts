import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../domain/model.ts';
import { ConflictError, DependencyUnavailableError } from '../errors.ts';
import { busyIfRetryable } from './aws-errors.ts';
import { cursorFits, decodeCursor, encodeCursor, invalidCursor } from './page-cursor.ts';
import { formerIndexOf, HOLD_ATTRIBUTES, keys, SCHEDULES_CONFIRMED, TABLE } from './table-layout.ts';

/**
 * Key and index attributes, and the bookkeeping the adapters keep on items (write tokens, a
 * customer's count of tasks: customer-holds.ts), stripped from items on the way out.
 */
const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi6pk',
  'gsi6sk',
  'gsi7pk',
  'gsi7sk',
  'entity',
  'writeToken',
  SCHEDULES_CONFIRMED,
  ...HOLD_ATTRIBUTES,
];

/** Queries one page may make to fill itself past a filter, and the items each may read (see page). */
const MAX_FILL_CALLS = 5;
const MAX_EVALUATED_PER_CALL = 1000;
/** BatchGetItem calls before keys it keeps leaving unprocessed make the read a 503. */
const BATCH_GET_ATTEMPTS = 4;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_KEYS = 100;

/** An item's key in the table and in the index queried: where the next page starts after it. */
function keyOf(item: Record<string, unknown>, index: { partitionKey: string; sortKey: string } | undefined): Record<string, unknown> {
  const names = [TABLE.partitionKey, TABLE.sortKey, ...(index ? [index.partitionKey, index.sortKey] : [])];
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

/** The cursor of a page of `index` that ends at `item` (an item as stored, its index keys included). */
export function cursorAt(item: Record<string, unknown>, index: { partitionKey: string; sortKey: string }): string {
  return encodeCursor(keyOf(item, index))!;
}

/** The single table's primitive operations, with errors mapped to Frist's. */
export class DynamoTable {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const item = await this.getRaw(pk, sk);
    return item ? strip<T>(item) : undefined;
  }

  /** The item as stored, key attributes included; read consistently. */
  async getRaw(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const result = await guard(this.db.send(new GetCommand({ TableName: this.name, Key: { pk, sk }, ConsistentRead: true })));
    return result.Item;
  }

  /**
   * Creates when expectedVersion is undefined, else replaces exactly that version. Each write
   * carries a fresh token: when the SDK retries a put whose answer was lost, the retry fails
   * its condition against the item the first try wrote, and finding our own token in the item
   * tells that the write was carried out, not refused. With `alsoAt`, that attribute of the
   * stored item must hold `expectedVersion` too (a mark of that version).
   */
  async putVersioned(item: Record<string, unknown>, expectedVersion: number | undefined, alsoAt?: string): Promise<void> {
    const writeToken = randomUUID();
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: alsoAt ? 'version = :expected AND #also = :expected' : 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ...(alsoAt ? { ExpressionAttributeNames: { '#also': alsoAt } } : {}),
          };
    await this.confirm(await this.putIf({ Item: { ...item, writeToken }, ...condition }), item, writeToken, expectedVersion);
  }

  /**
   * Replaces exactly `expectedVersion` as putVersioned does, but by an UpdateItem: it sets the
   * attributes `item` has, removes those named in `absent`, and leaves every other attribute
   * as it is, so the bookkeeping another writer keeps on the item (a customer's count of
   * tasks) is not written back from an older read.
   */
  async updateVersioned(item: Record<string, unknown>, expectedVersion: number, absent: string[]): Promise<void> {
    const writeToken = randomUUID();
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': expectedVersion };
    const sets = Object.entries({ ...item, writeToken })
      .filter(([name, value]) => value !== undefined && name !== 'pk' && name !== 'sk')
      .map(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
    const removes = absent.map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    const applied = await this.updateIf({
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    await this.confirm(applied, item, writeToken, expectedVersion);
  }

  /** A versioned write refused by its condition was still ours if the item carries our token. */
  private async confirm(applied: boolean, item: Record<string, unknown>, writeToken: string, expectedVersion: number | undefined): Promise<void> {
    if (applied || (await this.getRaw(String(item.pk), String(item.sk)))?.writeToken === writeToken) return;
    throw new ConflictError(
      expectedVersion === undefined
        ? 'an item with this id exists already'
        : `the item changed since version ${expectedVersion} was read; read it again and reapply your change`,
    );
  }

  /** A conditional put; false when the condition did not hold. */
  async putIf(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
    return this.applied(this.db.send(new PutCommand({ TableName: this.name, ...input })));
  }

  /** A conditional update; false when the condition did not hold. */
  async updateIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    return this.applied(this.db.send(new UpdateCommand({ TableName: this.name, ...input })));
  }

  /**
   * A conditional update that returns the item as written (or as it was, with `ALL_OLD`:
   * `{}` when there was none), or undefined when the condition did not hold.
   */
  async updateReturning(
    input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>,
    returnValues: 'ALL_NEW' | 'ALL_OLD' = 'ALL_NEW',
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await guard(this.db.send(new UpdateCommand({ TableName: this.name, ...input, ReturnValues: returnValues })));
      return result.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** A conditional delete; false when the condition did not hold. */
  async deleteIf(input: Omit<DeleteCommandInput, 'TableName'>): Promise<boolean> {
    return this.applied(this.db.send(new DeleteCommand({ TableName: this.name, ...input })));
  }

  /**
   * Deletes the item if it is still at `expectedVersion`. An item already gone counts as
   * deleted (the SDK's retry of a delete whose answer was lost finds it so); one at another
   * version is a ConflictError. True when this call removed the item, false when it was gone.
   */
  async deleteVersioned(pk: string, sk: string, expectedVersion: number): Promise<boolean> {
    try {
      const result = await guard(
        this.db.send(
          new DeleteCommand({
            TableName: this.name,
            Key: { pk, sk },
            ConditionExpression: 'attribute_not_exists(pk) OR version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return result.Attributes !== undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`the item changed since version ${expectedVersion} was read; read it again and reapply your change`);
      }
      throw error;
    }
  }

  /**
   * One page of a query (`Limit` items), full while more items exist, and with a cursor only
   * when there are more: DynamoDB's own paging ends every list with an empty page that still
   * has a cursor, and a filtered page may come back short. So this reads one item past the
   * page (the next page's first, to know it exists), reads on while a filter leaves the page
   * short, and gives as the cursor the key of the page's last item. A filter that matches
   * almost nothing would read the whole partition: after MAX_FILL_CALLS calls the page goes
   * out short, with a cursor where the reading stopped. The cursor must lie inside the tenant's keys.
   * A keys-only index gives the keys; the page's items are then read by key (listedPage).
   */
  async page<T>(tenantId: string, input: Omit<QueryCommandInput, 'TableName'>, cursor?: string): Promise<Page<T>> {
    const index = Object.values(TABLE.indexes).find((i) => i.name === input.IndexName);
    const limit = input.Limit ?? 50;
    if (index && 'projection' in index && index.projection === 'KEYS_ONLY') {
      return this.listedPage(index, limit, cursor, (from, want) => this.entriesPage(tenantId, index, { ...input, Limit: want }, from));
    }
    const { entries, nextCursor } = await this.entriesPage(tenantId, index, { ...input, Limit: limit }, cursor);
    return pageOf(entries, nextCursor);
  }

  /** One page of a query's entries (see page): as the query returns them, with the cursor after them. */
  private async entriesPage(
    tenantId: string,
    index: { partitionKey: string; sortKey: string } | undefined,
    input: Omit<QueryCommandInput, 'TableName'>,
    cursor: string | undefined,
  ): Promise<EntriesPage> {
    let startKey: Record<string, unknown> | undefined = decodeCursor(cursor, keys.tenant(tenantId));
    if (startKey && !cursorFits(startKey as Record<string, string>, index, input.ExpressionAttributeValues?.[':pk'])) throw invalidCursor();
    const limit = input.Limit ?? 50;
    const items: Record<string, unknown>[] = [];
    let evaluate = limit + 1;
    for (let call = 0; call < MAX_FILL_CALLS; call += 1) {
      const result = await this.queryFrom(input, startKey, evaluate - (input.FilterExpression ? 0 : items.length));
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
      if (items.length > limit || !startKey) break;
      // A filter left the page short: read on, more at a time (a DynamoDB Limit counts the items read, not those kept).
      if (input.FilterExpression) evaluate = Math.min(evaluate * 4, MAX_EVALUATED_PER_CALL);
    }
    const entries = items.slice(0, limit);
    const last = entries.at(-1);
    return { entries, nextCursor: encodeCursor(items.length > limit && last ? keyOf(last, index) : startKey) };
  }

  /**
   * One page of a keys-only index read across `partitions` at once (the same sort key in
   * each, so their items merge in order): `limit` + 1 keys from each, the first `limit` of
   * them all, and the items themselves by one BatchGetItem. The cursor is the key of the
   * page's last item; each partition goes on after its sort key. `condition` is the key
   * condition on the index's sort key, if any (`:pk` names the partition).
   */
  pageAcross<T>(
    tenantId: string,
    index: { name: string; partitionKey: string; sortKey: string },
    partitions: string[],
    query: { condition?: string; values?: Record<string, unknown>; limit: number },
    cursor?: string,
  ): Promise<Page<T>> {
    return this.listedPage(index, query.limit, cursor, (from, want) => this.entriesAcross(tenantId, index, partitions, { ...query, limit: want }, from));
  }

  /** One page of entries across partitions (see pageAcross), with the cursor after them. */
  private async entriesAcross(
    tenantId: string,
    index: { name: string; partitionKey: string; sortKey: string },
    partitions: string[],
    query: { condition?: string; values?: Record<string, unknown>; limit: number },
    cursor: string | undefined,
  ): Promise<EntriesPage> {
    const after = decodeCursor(cursor, keys.tenant(tenantId));
    if (after && !partitions.some((partition) => cursorFits(after, index, partition))) throw invalidCursor();
    const keyCondition = `${index.partitionKey} = :pk${query.condition ? ` AND ${query.condition}` : ''}`;
    const reads = await Promise.all(
      partitions.map((partition) =>
        this.queryFrom(
          { IndexName: index.name, KeyConditionExpression: keyCondition, ExpressionAttributeValues: { ...query.values, ':pk': partition } },
          after ? { ...after, [index.partitionKey]: partition } : undefined,
          query.limit + 1,
        ),
      ),
    );
    const found = reads.flatMap((read) => read.Items ?? []).sort((a, b) => (String(a[index.sortKey]) < String(b[index.sortKey]) ? -1 : 1));
    // The index lags the table: an item that just moved to another of these partitions may be
    // listed in both, side by side (the same sort key). The page takes both or neither, so that
    // the stale entry, left out by the read by key, cannot take the item's place on this page
    // while the cursor passes it by on the next.
    let end = Math.min(query.limit, found.length);
    while (end < found.length && sameItem(found[end]!, found[end - 1]!)) end += 1;
    const entries = found.slice(0, end);
    const more = found.length > end || reads.some((read) => read.LastEvaluatedKey);
    const last = entries.at(-1);
    return { entries, nextCursor: more && last ? encodeCursor(keyOf(last, index)) : undefined };
  }

  /**
   * A page of a keys-only index: its entries, then their items read by key (itemsListed).
   * Entries whose items are no longer where the index listed them (the index lags the table)
   * are left out, and the page reads on from its cursor for as many more, so that it stays
   * full while more items exist: without this, a page whose every entry had just been
   * completed or deleted came back empty with a cursor. At most MAX_FILL_CALLS reads; a
   * page that many reads could not fill goes out short, with its cursor.
   */
  private async listedPage<T>(
    index: { partitionKey: string; sortKey: string },
    limit: number,
    cursor: string | undefined,
    entriesFrom: (cursor: string | undefined, want: number) => Promise<EntriesPage>,
  ): Promise<Page<T>> {
    const items: Record<string, unknown>[] = [];
    let next = cursor;
    for (let read = 0; read < MAX_FILL_CALLS; read += 1) {
      const { entries, nextCursor } = await entriesFrom(next, limit - items.length);
      items.push(...(await this.itemsListed(entries, index)));
      next = nextCursor;
      if (items.length >= limit || !next) break;
    }
    return pageOf(items, next);
  }

  /**
   * The items of a keys-only index's entries, read by key, those still where the index listed
   * them: the index lags the table (eventually consistent), and an item may change between the
   * two reads. One deleted, or moved to another partition or place (a task completed, its
   * deadline changed), is left out: it is listed where it now is, never twice nor under a
   * filter it no longer matches. The page may then be short.
   */
  private async itemsListed(entries: Record<string, unknown>[], index: { partitionKey: string; sortKey: string }): Promise<Record<string, unknown>[]> {
    // One item may have two entries (see entriesAcross); BatchGetItem refuses a key asked for twice.
    const itemKeys = [...new Map(entries.map((entry) => [`${String(entry.pk)}|${String(entry.sk)}`, tableKeyOf(entry)])).values()];
    const items = new Map((await this.getMany(itemKeys)).map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
    return entries.flatMap((entry) => {
      const item = items.get(`${String(entry.pk)}|${String(entry.sk)}`);
      return item && item[index.partitionKey] === entry[index.partitionKey] && item[index.sortKey] === entry[index.sortKey] ? [item] : [];
    });
  }

  /**
   * Items by key, in the order asked for, 100 per BatchGetItem (its own limit); one deleted
   * meanwhile is left out. Keys DynamoDB leaves unprocessed (throttling) are asked for again
   * after a short pause; still unprocessed after that, the read is a 503. `consistent`: read
   * as GetItem with ConsistentRead reads (a write answered before is seen).
   */
  async getMany(itemKeys: { pk: unknown; sk: unknown }[], consistent = false): Promise<Record<string, unknown>[]> {
    if (itemKeys.length > BATCH_GET_KEYS) {
      const chunks = Array.from({ length: Math.ceil(itemKeys.length / BATCH_GET_KEYS) }, (_, i) =>
        itemKeys.slice(i * BATCH_GET_KEYS, (i + 1) * BATCH_GET_KEYS),
      );
      return (await Promise.all(chunks.map((chunk) => this.getMany(chunk, consistent)))).flat();
    }
    const found = new Map<string, Record<string, unknown>>();
    let pending: Record<string, unknown>[] = itemKeys;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt === BATCH_GET_ATTEMPTS) throw new DependencyUnavailableError('the database is busy; retry shortly');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await guard(
        this.db.send(new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } } })),
      );
      for (const item of result.Responses?.[this.name] ?? []) found.set(`${String(item.pk)}|${String(item.sk)}`, item);
      pending = result.UnprocessedKeys?.[this.name]?.Keys ?? [];
    }
    return itemKeys.flatMap((key) => {
      const item = found.get(`${String(key.pk)}|${String(key.sk)}`);
      return item ? [item] : [];
    });
  }

  private async queryFrom(input: Omit<QueryCommandInput, 'TableName'>, startKey: Record<string, unknown> | undefined, limit: number) {
    try {
      return await this.query({ ...input, Limit: limit, ExclusiveStartKey: startKey });
    } catch (error) {
      // A start key outside the query's range (a register cursor sent with other dates) is the cursor's fault.
      if (startKey && (error as { name?: string }).name === 'ValidationException') throw invalidCursor();
      throw error;
    }
  }

  /** Whether a query finds any item (one read of at most one item). */
  async any(input: Omit<QueryCommandInput, 'TableName'>): Promise<boolean> {
    const result = await this.query({ ...input, Limit: 1 });
    return (result.Items?.length ?? 0) > 0;
  }

  /** Every item of a query, following LastEvaluatedKey; raw, with key attributes. */
  async all(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.query({ ...input, ExclusiveStartKey: startKey });
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * A Query; one of an index that is not there yet, or still being filled (a table upgraded
   * from an earlier layout, table-layout.ts), reads the index it replaces instead, which has
   * the same keys and projects whole items.
   */
  private async query(input: Omit<QueryCommandInput, 'TableName'>) {
    try {
      return await guard(this.db.send(new QueryCommand({ TableName: this.name, ...input })));
    } catch (error) {
      const former = formerIndexOf(input.IndexName);
      if (!former || !isMissingIndex(error, input.IndexName!)) throw error;
      return guard(this.db.send(new QueryCommand({ TableName: this.name, ...input, IndexName: former })));
    }
  }

  private async applied(call: Promise<unknown>): Promise<boolean> {
    try {
      await guard(call);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

export function strip<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const name of KEY_ATTRIBUTES) delete copy[name];
  return copy as T;
}

/** Whether two index entries are of the same item. */
function sameItem(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return a[TABLE.partitionKey] === b[TABLE.partitionKey] && a[TABLE.sortKey] === b[TABLE.sortKey];
}

/** A page's entries (of an index, or items) and the cursor after the last of them. */
interface EntriesPage {
  entries: Record<string, unknown>[];
  nextCursor: string | undefined;
}

function pageOf<T>(items: Record<string, unknown>[], nextCursor: string | undefined): Page<T> {
  return { items: items.map((item) => strip<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
}

/** An item's key in the table. */
function tableKeyOf(item: Record<string, unknown>): { pk: unknown; sk: unknown } {
  return { pk: item[TABLE.partitionKey], sk: item[TABLE.sortKey] };
}

/**
 * DynamoDB's answer to a Query of an index the table lacks ("The table does not have the
 * specified index: gsi8") or is still filling ("Cannot read from backfilling global secondary
 * index", as the SDKs report it, without the index's name): a ValidationException.
 */
function isMissingIndex(error: unknown, indexName: string): boolean {
  const { name, message = '' } = (error as { name?: string; message?: string }) ?? {};
  if (name !== 'ValidationException') return false;
  // The backfilling answer names no index: a Query reads one, the one it asked for.
  return /backfilling global secondary index/i.test(message) || new RegExp(`\\bindex\\b.*\\b${indexName}\\b`, 'i').test(message);
}

/** Throttling and service faults are worth a retry by the caller: 503, not 500. */
function guard<T>(call: Promise<T>): Promise<T> {
  return busyIfRetryable(call, 'the database is busy; retry shortly');
}
