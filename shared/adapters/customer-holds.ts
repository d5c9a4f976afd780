import { randomUUID } from 'node:crypto';
import type { CustomerHolds } from '../ports.ts';
import type { DynamoTable } from './dynamodb-table.ts';
import { keys } from './table-layout.ts';

/**
 * The count of tasks on a customer, kept on the customer item itself (`taskRefs`, `taskRefsAt`,
 * `taskRefsToken`: HOLD_ATTRIBUTES in table-layout.ts), so that the customer's delete can be
 * conditional on it in the same single-item write. What the count means and who moves it:
 * shared/use-cases/customer-holds.ts.
 *
 * An UpdateItem that adds or takes one is not idempotent, and the SDK retries a call whose
 * answer was lost by itself. So each change writes a fresh token and is conditional on the
 * token stored not being its own: the retry of a change that was carried out finds its token
 * and changes nothing (unless another change landed in the milliseconds between the two).
 */
export class CustomerHoldRecords {
  constructor(private readonly table: DynamoTable) {}

  /** Adds one to the count if the customer exists; false when it does not. */
  async hold(tenantId: string, customerId: string, at: string): Promise<boolean> {
    const key = this.key(tenantId, customerId);
    const token = randomUUID();
    const applied = await this.table.updateIf({
      Key: key,
      UpdateExpression: 'SET taskRefs = if_not_exists(taskRefs, :zero) + :one, taskRefsAt = :at, taskRefsToken = :token',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(taskRefsToken) OR taskRefsToken <> :token)',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at, ':token': token },
    });
    // Refused: the customer is gone, or this is the SDK's retry of our own change, carried out.
    return applied || (await this.table.getRaw(key.pk, key.sk)) !== undefined;
  }

  /** Takes one from the count, never below 0; false when there was none to take (or no customer). */
  release(tenantId: string, customerId: string, at: string): Promise<boolean> {
    return this.table.updateIf({
      Key: this.key(tenantId, customerId),
      UpdateExpression: 'SET taskRefs = taskRefs - :one, taskRefsAt = :at, taskRefsToken = :token',
      ConditionExpression: 'taskRefs > :zero AND (attribute_not_exists(taskRefsToken) OR taskRefsToken <> :token)',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at, ':token': randomUUID() },
    });
  }

  /** The count as stored (0 on a customer saved before it existed); undefined when there is no customer. */
  async read(tenantId: string, customerId: string): Promise<CustomerHolds | undefined> {
    const key = this.key(tenantId, customerId);
    const item = await this.table.getRaw(key.pk, key.sk);
    if (!item) return undefined;
    return { count: Number(item.taskRefs ?? 0), changedAt: typeof item.taskRefsAt === 'string' ? item.taskRefsAt : undefined };
  }

  /**
   * Deletes the customer if its count is still what `seen` says: with 0, any state without a
   * hold; else exactly that count, unchanged since `seen.changedAt`. False when it changed.
   * A customer already gone counts as deleted (the SDK's retry of a delete whose answer was lost).
   */
  deleteIfUnheld(tenantId: string, customerId: string, seen: CustomerHolds): Promise<boolean> {
    return this.table.deleteIf({
      Key: this.key(tenantId, customerId),
      ...(seen.count === 0
        ? { ConditionExpression: 'attribute_not_exists(taskRefs) OR taskRefs = :zero', ExpressionAttributeValues: { ':zero': 0 } }
        : {
            ConditionExpression: 'attribute_not_exists(pk) OR (taskRefs = :count AND taskRefsAt = :at)',
            ExpressionAttributeValues: { ':count': seen.count, ':at': seen.changedAt },
          }),
    });
  }

  private key(tenantId: string, customerId: string): { pk: string; sk: string } {
    return { pk: keys.tenant(tenantId), sk: keys.customer(customerId) };
  }
}
