import { ValidationError } from '../errors.ts';

/**
 * Paging cursors: DynamoDB's LastEvaluatedKey, as opaque base64url. A cursor comes back
 * from the client, so it is checked before use: only key attributes, short strings, and
 * every partition key inside the caller's tenant, so a forged cursor cannot page through
 * another tenant's items.
 */
type Key = Record<string, string>;

const KEY_ATTRIBUTE = /^(pk|sk|gsi\d(pk|sk))$/;

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export const invalidCursor = () => ValidationError.of('cursor', 'cursor', 'is not a cursor this API returned; start again without it');

/**
 * A cursor fits a query when it names exactly the key attributes of the table and of the
 * queried index, and lies in the partition the query reads (`:pk`): a cursor of another list
 * of the same tenant (the customers' on the task register, or the register's with a filter
 * that reads another index) is refused here instead of reaching DynamoDB as an invalid
 * ExclusiveStartKey.
 */
export function cursorFits(key: Key, index: { partitionKey: string; sortKey: string } | undefined, partition: unknown): boolean {
  const expected = ['pk', 'sk', ...(index ? [index.partitionKey, index.sortKey] : [])].sort();
  const names = Object.keys(key).sort();
  if (names.length !== expected.length || names.some((name, i) => name !== expected[i])) return false;
  return partition === undefined || key[index?.partitionKey ?? 'pk'] === partition;
}

export function decodeCursor(cursor: string | undefined, tenantPrefix: string): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = invalidCursor;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const valid =
    entries.length > 0 &&
    entries.every(
      ([name, value]) =>
        KEY_ATTRIBUTE.test(name) &&
        typeof value === 'string' &&
        value.length <= 300 &&
        (!name.endsWith('pk') || value === tenantPrefix || value.startsWith(`${tenantPrefix}#`)),
    );
  if (!valid) throw invalid();
  return key as Key;
}
