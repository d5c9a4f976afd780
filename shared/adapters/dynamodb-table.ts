import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../domain/model.ts';
import { ConflictError, DependencyUnavailableError } from '../errors.ts';
import { cursorFits, decodeCursor, encodeCursor, invalidCursor } from './page-cursor.ts';
import { keys, TABLE } from './table-layout.ts';

/** Key and index attributes, stripped from items on the way out. */
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'entity', 'writeToken'];

export function createDynamoDbClient(options: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(options), {
    marshallOptions: { removeUndefinedValues: true },
  });
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
   * tells that the write was carried out, not refused.
   */
  async putVersioned(item: Record<string, unknown>, expectedVersion: number | undefined): Promise<void> {
    const writeToken = randomUUID();
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    const applied =
      (await this.putIf({ Item: { ...item, writeToken }, ...condition })) || (await this.getRaw(String(item.pk), String(item.sk)))?.writeToken === writeToken;
    if (!applied) {
      throw new ConflictError(
        expectedVersion === undefined
          ? 'an item with this id exists already'
          : `the item changed since version ${expectedVersion} was read; read it again and reapply your change`,
      );
    }
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

  async delete(pk: string, sk: string): Promise<void> {
    await guard(this.db.send(new DeleteCommand({ TableName: this.name, Key: { pk, sk } })));
  }

  /**
   * Deletes the item if it is still at `expectedVersion`. An item already gone counts as
   * deleted (the SDK's retry of a delete whose answer was lost finds it so); one at another
   * version is a ConflictError.
   */
  async deleteVersioned(pk: string, sk: string, expectedVersion: number): Promise<void> {
    const deleted = await this.applied(
      this.db.send(
        new DeleteCommand({
          TableName: this.name,
          Key: { pk, sk },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
    if (!deleted) throw new ConflictError(`the item changed since version ${expectedVersion} was read; read it again and reapply your change`);
  }

  /** One page of a query; the cursor must lie inside the tenant's keys. */
  async page<T>(tenantId: string, input: Omit<QueryCommandInput, 'TableName'>, cursor?: string): Promise<Page<T>> {
    const startKey = decodeCursor(cursor, keys.tenant(tenantId));
    if (startKey) {
      const index = Object.values(TABLE.indexes).find((i) => i.name === input.IndexName);
      if (!cursorFits(startKey, index, input.ExpressionAttributeValues?.[':pk'])) throw invalidCursor();
    }
    let result;
    try {
      result = await guard(this.db.send(new QueryCommand({ TableName: this.name, ...input, ExclusiveStartKey: startKey })));
    } catch (error) {
      // A start key outside the query's range (a register cursor sent with other dates) is the cursor's fault.
      if (startKey && (error as { name?: string }).name === 'ValidationException') throw invalidCursor();
      throw error;
    }
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((item) => strip<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Every item of a query, following LastEvaluatedKey; raw, with key attributes. */
  async all(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await guard(this.db.send(new QueryCommand({ TableName: this.name, ...input, ExclusiveStartKey: startKey })));
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
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

/** Throttling and service faults are worth a retry by the caller: 503, not 500. */
async function guard<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (isRetryable(error)) throw new DependencyUnavailableError('the database is busy; retry shortly', { cause: error });
    throw error;
  }
}

function isRetryable(error: unknown): boolean {
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; name?: string }) ?? {};
  return (
    meta.$retryable !== undefined ||
    (meta.$metadata?.httpStatusCode ?? 0) >= 500 ||
    meta.name === 'ProvisionedThroughputExceededException' ||
    meta.name === 'ThrottlingException' ||
    meta.name === 'RequestLimitExceeded'
  );
}
