import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Customer, Page, Settings, Task, TaskQuery } from '../domain/model.ts';
import { ConflictError, DependencyUnavailableError } from '../errors.ts';
import type { Store } from '../ports.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import { keys, TABLE } from './table-layout.ts';

/** Key and index attributes, stripped from items on the way out. */
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity'] as const;

export function createDynamoDbClient(options: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(options), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export class DynamoDbStore implements Store {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  getSettings(tenantId: string): Promise<Settings | undefined> {
    return this.get<Settings>(keys.tenant(tenantId), keys.settings());
  }

  putSettings(tenantId: string, settings: Settings, expectedVersion: number): Promise<void> {
    const item = { pk: keys.tenant(tenantId), sk: keys.settings(), entity: 'settings', ...settings };
    return this.put(item, expectedVersion === 0 ? undefined : expectedVersion);
  }

  getCustomer(tenantId: string, id: string): Promise<Customer | undefined> {
    return this.get<Customer>(keys.tenant(tenantId), keys.customer(id));
  }

  listCustomers(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Customer>> {
    return this.query<Customer>(tenantId, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId), ':prefix': keys.customer('') },
      Limit: page.limit,
    }, page.cursor);
  }

  putCustomer(tenantId: string, customer: Customer, expectedVersion?: number): Promise<void> {
    const item = { pk: keys.tenant(tenantId), sk: keys.customer(customer.id), entity: 'customer', ...customer };
    return this.put(item, expectedVersion);
  }

  deleteCustomer(tenantId: string, id: string): Promise<void> {
    return this.delete(keys.tenant(tenantId), keys.customer(id));
  }

  async customerHasTasks(tenantId: string, customerId: string): Promise<boolean> {
    const index = TABLE.indexes.byCustomer;
    const result = await guard(
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: `${index.partitionKey} = :pk`,
          ExpressionAttributeValues: { ':pk': keys.byCustomer(tenantId, customerId) },
          Limit: 1,
        }),
      ),
    );
    return (result.Count ?? 0) > 0;
  }

  getTask(tenantId: string, id: string): Promise<Task | undefined> {
    return this.get<Task>(keys.tenant(tenantId), keys.task(id));
  }

  putTask(tenantId: string, task: Task, expectedVersion?: number): Promise<void> {
    const sortKey = `${keys.deadline(task.deadline)}#${task.id}`;
    const item = {
      pk: keys.tenant(tenantId),
      sk: keys.task(task.id),
      entity: 'task',
      gsi1pk: keys.register(tenantId),
      gsi1sk: sortKey,
      gsi2pk: keys.byCustomer(tenantId, task.customerId),
      gsi2sk: sortKey,
      gsi3pk: keys.byStatus(tenantId, task.status),
      gsi3sk: sortKey,
      ...task,
    };
    return this.put(item, expectedVersion);
  }

  deleteTask(tenantId: string, id: string): Promise<void> {
    return this.delete(keys.tenant(tenantId), keys.task(id));
  }

  /**
   * The task register. The most selective index carries the key condition (customer, then
   * status, then all tasks), the deadline range is a range on its sort key, and what is
   * left (status within a customer, has-notices) is a filter. A filtered page may hold
   * fewer than `limit` items and still have a next cursor: that is DynamoDB paging.
   */
  queryTasks(tenantId: string, query: TaskQuery): Promise<Page<Task>> {
    const index = query.customerId
      ? TABLE.indexes.byCustomer
      : query.status
        ? TABLE.indexes.byStatus
        : TABLE.indexes.register;
    const partition = query.customerId
      ? keys.byCustomer(tenantId, query.customerId)
      : query.status
        ? keys.byStatus(tenantId, query.status)
        : keys.register(tenantId);
    // `~` sorts after every date and after `T`, so `to~` closes the range at the end of that
    // day, and tasks without a deadline (`~#id`) fall outside every range.
    const values: Record<string, unknown> = {
      ':pk': partition,
      ':from': query.deadlineFrom ?? '0000-01-01',
      ':to': `${query.deadlineTo ?? '9999-12-31'}~`,
    };
    const ranged = query.deadlineFrom !== undefined || query.deadlineTo !== undefined;
    const filters: string[] = [];
    const names: Record<string, string> = {};
    if (query.customerId && query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.hasNotices !== undefined) {
      filters.push(query.hasNotices ? 'size(notices) > :zero' : 'size(notices) = :zero');
      values[':zero'] = 0;
    }
    return this.query<Task>(tenantId, {
      IndexName: index.name,
      KeyConditionExpression: ranged
        ? `${index.partitionKey} = :pk AND ${index.sortKey} BETWEEN :from AND :to`
        : `${index.partitionKey} = :pk`,
      ExpressionAttributeValues: ranged ? values : withoutRange(values),
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      Limit: query.limit,
    }, query.cursor);
  }

  private async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const result = await guard(
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: true })),
    );
    return result.Item ? strip<T>(result.Item) : undefined;
  }

  /** Creates when expectedVersion is undefined, else replaces exactly that version. */
  private async put(item: Record<string, unknown>, expectedVersion: number | undefined): Promise<void> {
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    try {
      await guard(this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition })));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          expectedVersion === undefined
            ? 'an item with this id exists already'
            : `the item changed since version ${expectedVersion} was read; read it again and reapply your change`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async delete(pk: string, sk: string): Promise<void> {
    await guard(this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk, sk } })));
  }

  private async query<T>(tenantId: string, input: Omit<QueryCommandInput, 'TableName'>, cursor?: string): Promise<Page<T>> {
    const startKey = decodeCursor(cursor, keys.tenant(tenantId));
    const result = await guard(
      this.db.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: startKey })),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((item) => strip<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }
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

function withoutRange(values: Record<string, unknown>): Record<string, unknown> {
  const { ':from': _from, ':to': _to, ...rest } = values;
  return rest;
}

function strip<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const name of KEY_ATTRIBUTES) delete copy[name];
  return copy as T;
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
