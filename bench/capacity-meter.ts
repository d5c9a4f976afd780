import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { close, listen, LOOPBACK, readJsonBody } from '../local/listen.ts';
import { LOCAL_CREDENTIALS } from '../local/local-dynamodb.ts';
import { TABLE, type TableIndex } from '../shared/adapters/table-layout.ts';

type Item = Record<string, AttributeValue>;

/** Capacity units, per item kind (`task`, `delivery`, ...) and where they were spent (`table` or an index name). */
export type Tally = Map<string, number>;

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/**
 * A loopback proxy in front of the DynamoDB stand-in that counts the capacity units each
 * request would consume on DynamoDB on demand, with DynamoDB's rules:
 * - a write costs one unit per started KB of the larger of the item before and after it, on
 *   the table, and again on each global secondary index whose entry it puts, changes or
 *   deletes (a changed index key is a delete and a put; an update that changes nothing the
 *   index projects writes nothing there); a conditional write that fails still costs the item;
 * - a read costs one unit per started 4 KB (half for an eventually consistent read), and a
 *   Query or Scan at least one (half) unit; dynalite reports these when asked
 *   (`ReturnConsumedCapacity`), and the proxy asks on every read. A BatchGetItem is counted
 *   per item, by its kind, as DynamoDB charges it (a GetItem per key); a key that finds no
 *   item is `missing item`. A Query's or Scan's returned bytes are kept too (`readBytes`):
 *   what a query shared by many tasks costs each of them, past its minimum.
 * The stand-in itself counts no index writes, hence this meter. Writes pass one at a time, so
 * the item before and after each write is its own.
 */
export class CapacityMeter {
  readonly writes: Tally = new Map();
  readonly reads: Tally = new Map();
  /** The bytes of the items each Query and Scan returned, by the same keys as `reads`. */
  readonly readBytes: Tally = new Map();
  private server?: Server;
  private direct?: DynamoDBClient;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly region: string) {}

  /** Starts the proxy in front of `target`; returns the endpoint the functions should use. */
  async start(target: string): Promise<string> {
    this.direct = new DynamoDBClient({ endpoint: target, region: this.region, credentials: LOCAL_CREDENTIALS });
    this.server = createServer((incoming, outgoing) => {
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const send = (body: Record<string, unknown>) => forward(target, incoming.headers, body);
      void readJsonBody(incoming)
        .then((body) => (WRITES.has(operation) ? this.serialized(() => this.write(send, body)) : this.read(send, operation, body)))
        .then(
          ({ status, text }) => {
            outgoing.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
            outgoing.end(text);
          },
          () => {
            outgoing.writeHead(502);
            outgoing.end();
          },
        );
    });
    return `http://${LOOPBACK}:${await listen(this.server, 0)}`;
  }

  async stop(): Promise<void> {
    this.direct?.destroy();
    if (this.server) await close(this.server);
  }

  reset(): void {
    this.writes.clear();
    this.reads.clear();
    this.readBytes.clear();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writing.then(work, work);
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async read(send: Send, operation: string, body: Record<string, unknown>) {
    if (!READS.has(operation)) return send(body);
    const answer = await send({ ...body, ReturnConsumedCapacity: 'TOTAL' });
    if (answer.status !== 200) return answer;
    const result = JSON.parse(answer.text) as ReadResult;
    if (operation === 'BatchGetItem') this.countBatchGet(body, result);
    else if (operation === 'GetItem') add(this.reads, kindOf(result.Item), consumedBy(result));
    else {
      const kind = `${operation.toLowerCase()} ${(body.IndexName as string | undefined) ?? 'table'}`;
      add(this.reads, kind, Math.max(consumedBy(result), body.ConsistentRead ? 1 : 0.5));
      add(
        this.readBytes,
        kind,
        (result.Items ?? []).reduce((sum, item) => sum + itemSize(item), 0),
      );
    }
    return answer;
  }

  /**
   * A BatchGetItem is paid as a GetItem per key (each item rounded up to 4 KB; a key with no
   * item still costs the minimum), so its units are counted per item, by the item's kind.
   */
  private countBatchGet(body: Record<string, unknown>, result: ReadResult): void {
    const requests = body.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean }>;
    for (const [table, request] of Object.entries(requests)) {
      const found = result.Responses?.[table] ?? [];
      const per = request.ConsistentRead ? 1 : 0.5;
      for (const item of found) add(this.reads, kindOf(item), Math.max(1, units(item, 4096)) * per);
      const unprocessed = result.UnprocessedKeys?.[table]?.Keys.length ?? 0;
      const missing = request.Keys.length - found.length - unprocessed;
      if (missing > 0) add(this.reads, 'missing item', missing * per);
    }
  }

  private async write(send: Send, body: Record<string, unknown>) {
    const table = (body.TableName as string | undefined) ?? '';
    const keys = body.RequestItems
      ? Object.values(body.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>)
          .flat()
          .map((r) => keyOf(r.PutRequest?.Item ?? r.DeleteRequest!.Key))
      : [keyOf((body.Item ?? body.Key) as Item)];
    const tableName = table || Object.keys(body.RequestItems as object)[0]!;
    const before = await Promise.all(keys.map((key) => this.item(tableName, key)));
    const answer = await send(body);
    const after = await Promise.all(keys.map((key) => this.item(tableName, key)));
    keys.forEach((_, i) => this.countWrite(before[i], after[i]));
    return answer;
  }

  private async item(table: string, key: Item): Promise<Item | undefined> {
    return (await this.direct!.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  }

  private countWrite(before: Item | undefined, after: Item | undefined): void {
    const kind = kindOf(after ?? before);
    add(this.writes, `${kind} table`, Math.max(1, units(before, 1024), units(after, 1024)));
    for (const index of Object.values(TABLE.indexes)) {
      const old = projected(index, before);
      const next = projected(index, after);
      if (!old && !next) continue;
      const sameKey = old && next && old[index.partitionKey]?.S === next[index.partitionKey]?.S && same(old[index.sortKey], next[index.sortKey]);
      const cost = sameKey ? (same(old, next) ? 0 : units(next, 1024)) : units(old, 1024) + units(next, 1024);
      if (cost > 0) add(this.writes, `${kind} ${index.name}`, cost);
    }
  }
}

interface ReadResult {
  ConsumedCapacity?: { CapacityUnits: number } | { CapacityUnits: number }[];
  Item?: Item;
  Items?: Item[];
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, { Keys: Item[] }>;
}

function consumedBy(result: ReadResult): number {
  return [result.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + c.CapacityUnits, 0);
}

type Send = (body: Record<string, unknown>) => Promise<{ status: number; text: string }>;

/** The request as the client signed it, body aside (the stand-in checks a signature's shape, not its value). */
async function forward(target: string, headers: IncomingHttpHeaders, body: Record<string, unknown>) {
  const pass = Object.entries(headers).filter(([name]) => name !== 'host' && name !== 'content-length' && name !== 'connection');
  const response = await fetch(target, { method: 'POST', headers: Object.fromEntries(pass.map(([k, v]) => [k, String(v)])), body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

function add(tally: Tally, key: string, units: number): void {
  tally.set(key, (tally.get(key) ?? 0) + units);
}

function keyOf(item: Item): Item {
  return { [TABLE.partitionKey]: item[TABLE.partitionKey]!, [TABLE.sortKey]: item[TABLE.sortKey]! };
}

/**
 * The index entry an item makes: all of it, the keys only for a KEYS_ONLY index, the keys and
 * the attributes named for an INCLUDE one; none without the index's keys.
 */
export function projected(index: TableIndex, item: Item | undefined): Item | undefined {
  if (!item?.[index.partitionKey] || !item[index.sortKey]) return undefined;
  if (!('projection' in index)) return item;
  const names = [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey, ...('nonKeyAttributes' in index ? index.nonKeyAttributes : [])];
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]!]));
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${k}:${canonical((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

function units(item: Item | undefined, per: number): number {
  return item ? Math.ceil(itemSize(item) / per) : 0;
}

/** What kind of item a key names, from the sort key's prefix (shared/adapters/table-layout.ts). */
export function kindOf(item: Item | undefined): string {
  const sk = item?.[TABLE.sortKey]?.S ?? '';
  const prefix = sk.split('#')[0]!;
  const kinds: Record<string, string> = {
    K: 'task',
    C: 'customer',
    D: 'delivery',
    SETTINGS: 'settings',
    JOB: 'job',
    TPL: 'template',
    WH: 'webhook',
    WHD: 'webhook delivery',
  };
  return kinds[prefix] ?? (prefix.toLowerCase() || 'missing item');
}

/**
 * An item's size as DynamoDB counts it: each attribute's name (UTF-8 bytes) plus its value:
 * strings by UTF-8 bytes, numbers by about one byte per two significant digits plus one,
 * binary by bytes, booleans and nulls one byte, lists and maps 3 bytes plus one per element
 * (and a map's names), sets the sum of their members.
 */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return Buffer.from(value.B as unknown as string, 'base64').length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
  if (value.NS) return value.NS.reduce((s, x) => s + numberSize(x), 0);
  if (value.L) return 3 + value.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return 0;
}

function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}
