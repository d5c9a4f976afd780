import { outcomeKey, outcomeOf } from '../domain/attention.ts';
import { DELIVERY_MEMBERS, type Delivery, type Receipt } from '../domain/delivery.ts';
import type { AttentionMarks } from './attention-marks.ts';
import type { DeliveryUpdate } from '../ports.ts';
import type { Page } from '../domain/model.ts';
import { DynamoTable, strip } from './dynamodb-table.ts';
import { keys, TABLE } from './table-layout.ts';

/**
 * Delivery records: the claim that makes dispatch idempotent, and, once filed, the
 * document center's index (gsi9 per customer, keys only; gsi3 per task; sorted by sentAt).
 * See shared/domain/delivery.ts for the states.
 */
/** A claim whose lease ran out: its attempt died (a crash, a timeout) without a word. */
const EXPIRED_CLAIM = '(#state = :claimed AND #until < :now)';

/**
 * A skip that a later attempt may replace: any but the SMS-pumping guard's. An SMS skipped
 * over a cap or to a country not allowed stays so, whatever comes again later (a copy of its
 * message in a fresh hour, the firm raising its cap): it is never sent.
 */
const REPLACEABLE_SKIP = '(#state = :skipped AND NOT (#reason IN (:rateLimited, :countryNotAllowed)))';
const REPLACEABLE_SKIP_VALUES = { ':skipped': 'skipped', ':rateLimited': 'rate-limited', ':countryNotAllowed': 'country-not-allowed' };

/**
 * What dispatch's writes set or remove: every member of a delivery but its receipt, which only
 * the receipt writers set (a receipt can land between the claim and the `sent` record).
 */
const DISPATCH_MEMBERS = DELIVERY_MEMBERS.filter((name) => name !== 'receipt');
/** The document lists' keys: a delivery is in them once its copy is filed. */
const DOCUMENT_INDEX_KEYS = ['gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];

/** How many deliveries' last outcome a container remembers: a dispatch batch's, many times over. */
const LAST_NOTED_MAX = 1000;

export class DeliveryRecords {
  /** The outcome this container noted last per delivery (a bounded memo, not a record). */
  private readonly lastNoted = new Map<string, string>();

  constructor(
    private readonly table: DynamoTable,
    private readonly marks: AttentionMarks,
  ) {}

  get(tenantId: string, id: string): Promise<Delivery | undefined> {
    return this.table.get<Delivery>(keys.tenant(tenantId), keys.delivery(id));
  }

  /**
   * One conditional update. It wins when there is no record, or the record is skipped (but
   * by the SMS guard: REPLACEABLE_SKIP) or retrying (an earlier attempt let go), or claimed with a lease that ran out (an attempt
   * that died). Sent and failed are final, and a live lease blocks a concurrent attempt.
   * It counts the attempt and returns the record as claimed with what it replaced (how the
   * caller knows a dead attempt may have reached the provider), or undefined when it lost.
   */
  async claim(tenantId: string, delivery: Delivery, now: string): Promise<{ claimed: Delivery; replaced?: Delivery } | undefined> {
    const old = await this.setUnless(tenantId, delivery, {
      condition: `attribute_not_exists(pk) OR ${REPLACEABLE_SKIP} OR #state = :retrying OR ${EXPIRED_CLAIM}`,
      values: { ...REPLACEABLE_SKIP_VALUES, ':retrying': 'retrying', ':claimed': 'claimed', ':now': now },
      countAttempt: true,
    });
    if (old === undefined) return undefined;
    const replaced = old.pk ? strip<Delivery>(old) : undefined;
    // A claim ends a hold for quiet hours: the attempt is under way.
    const { reason: _reason, heldUntil: _heldUntil, ...kept } = replaced ?? ({} as Partial<Delivery>);
    return { claimed: { ...kept, ...delivery, attempts: (replaced?.attempts ?? 0) + 1 }, ...(replaced ? { replaced } : {}) };
  }

  /**
   * A skip never overwrites a live claim or a decision (sent, failed, the SMS guard's skips).
   * It does replace an earlier skip, a `retrying` record and a claim whose attempt died (keeping the attempt
   * count, and flagging a possible duplicate over a dead claim): a notice that kept failing
   * and whose task was then completed ends as skipped, not as forever pending.
   */
  async recordSkip(tenantId: string, delivery: Delivery, now: string): Promise<boolean> {
    const plain = await this.setUnless(tenantId, delivery, {
      condition: `attribute_not_exists(pk) OR ${REPLACEABLE_SKIP} OR #state = :retrying`,
      values: { ...REPLACEABLE_SKIP_VALUES, ':retrying': 'retrying' },
      countAttempt: false,
    });
    if (plain !== undefined) return this.noted(tenantId, delivery);
    // The attempt that died may have reached the provider before: the skip says so.
    const overDead = await this.setUnless(
      tenantId,
      { ...delivery, possibleDuplicate: true },
      {
        condition: EXPIRED_CLAIM,
        values: { ':claimed': 'claimed', ':now': now },
        countAttempt: false,
      },
    );
    return overDead !== undefined && this.noted(tenantId, delivery);
  }

  /**
   * Sets every field but `attempts` (counted, or left as it is) if `condition` holds. Returns
   * the item as it was before (`{}` when there was none), or undefined when the condition failed.
   */
  private setUnless(
    tenantId: string,
    delivery: Delivery,
    options: { condition: string; values: Record<string, string>; countAttempt: boolean },
  ): Promise<Record<string, unknown> | undefined> {
    const { attempts: _attempts, ...fields } = delivery;
    const entries = Object.entries({ ...fields, entity: 'delivery' }).filter(([, value]) => value !== undefined);
    const removed = (['reason', 'claimedUntil', 'heldUntil'] as const).filter((name) => fields[name] === undefined);
    return this.table.updateReturning(
      {
        Key: { pk: keys.tenant(tenantId), sk: keys.delivery(delivery.id) },
        UpdateExpression:
          `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}` +
          (removed.length ? ` REMOVE ${removed.map((name) => `#${name}`).join(', ')}` : '') +
          (options.countAttempt ? ' ADD #attempts :one' : ''),
        ConditionExpression: options.condition,
        ExpressionAttributeNames: {
          ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
          '#state': 'state',
          ...(options.condition.includes('#until') ? { '#until': 'claimedUntil' } : {}),
          ...Object.fromEntries(removed.map((name) => [`#${name}`, name])),
          ...(options.condition.includes('#reason') ? { '#reason': 'reason' } : {}),
          ...(options.countAttempt ? { '#attempts': 'attempts' } : {}),
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
          ...options.values,
          ...(options.countAttempt ? { ':one': 1 } : {}),
        },
      },
      'ALL_OLD',
    );
  }

  /**
   * Writes the claimed delivery's new state; a filed document joins the document lists.
   * With `claimToken`, only while that claim is the record's: an attempt that outlived its
   * lease cannot overwrite the attempt that took over. False when it was not written. An
   * update, not a put: it sets every member it has and removes the others, but leaves a
   * receipt that came meanwhile. `noteAlongside`: the warning mark is noted side by side with
   * the write instead of after it, for an outcome that holds whatever becomes of the write (a
   * send the provider accepted: see DeliveryUpdate in shared/ports.ts).
   */
  async update(tenantId: string, delivery: Delivery, claimToken?: string, options: DeliveryUpdate = {}): Promise<boolean> {
    const { pk, sk, ...fields } = this.item(tenantId, delivery);
    const entries = Object.entries(fields).filter(([name, value]) => value !== undefined && name !== 'receipt');
    const removed = [...DISPATCH_MEMBERS, ...DOCUMENT_INDEX_KEYS].filter((name) => fields[name] === undefined);
    const write = this.table.updateIf({
      Key: { pk, sk },
      UpdateExpression:
        `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}` + (removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''),
      ExpressionAttributeNames: {
        ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ...Object.fromEntries(removed.map((name, i) => [`#r${i}`, name])),
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
        ...(claimToken ? { ':token': claimToken } : {}),
      },
      ...(claimToken ? { ConditionExpression: 'claimToken = :token' } : {}),
    });
    if (!options.noteAlongside) return (await write) && this.noted(tenantId, delivery);
    const noting = this.noted(tenantId, delivery);
    try {
      return await write;
    } finally {
      // Also when the write fails: the caller may end the invocation, and the note must not run on behind it.
      await noting;
    }
  }

  /**
   * After a delivery's record is written: a final one is noted in its task's warning mark
   * (attention-marks.ts). The record is written already and its caller must not take it back
   * (a send happened), so a failed note does not fail the write: the mark then stops being
   * trusted (the register reads the task's delivery records again) until it is rebuilt.
   */
  async noted(tenantId: string, delivery: Delivery): Promise<true> {
    const outcome = outcomeOf(delivery);
    // Filing an SMS's record after its send, or a copy of its message, meets the same outcome
    // again: noted once by this container is enough.
    if (!outcome || this.lastNoted.get(delivery.id) === outcomeKey(outcome)) return true;
    try {
      await this.marks.note(tenantId, delivery.taskId, outcome);
      if (this.lastNoted.size >= LAST_NOTED_MAX) this.lastNoted.clear();
      this.lastNoted.set(delivery.id, outcomeKey(outcome));
    } catch {
      await this.marks.distrust(tenantId, delivery.taskId).catch(() => undefined);
    }
    return true;
  }

  /**
   * Records the provider's report on an existing delivery that is sent, or may yet be (a
   * claim under way: the report can come before the send is marked; retrying after an
   * unknown outcome: the retry sends again and ends sent). One that ended unsent (skipped,
   * failed) gets none: "delivered" beside "never sent" would contradict it. First report
   * wins, except over a report with the status `replaces` (the caller's rule of which is
   * final: an SMS's `delivered` replaces an `undelivered`, an e-mail's bounce a `delivered`):
   * a replay, or a late retry of an older report, changes nothing. False when nothing was written.
   */
  recordReceipt(tenantId: string, deliveryId: string, receipt: Receipt, replaces?: Receipt['status']): Promise<boolean> {
    return this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.delivery(deliveryId) },
      UpdateExpression: 'SET #receipt = :receipt',
      ConditionExpression:
        '#state IN (:sent, :claimed, :retrying) AND ' +
        (replaces ? '(attribute_not_exists(#receipt) OR #receipt.#status = :replaces)' : 'attribute_not_exists(#receipt)'),
      ExpressionAttributeNames: { '#receipt': 'receipt', '#state': 'state', ...(replaces ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: {
        ':receipt': receipt,
        ':sent': 'sent',
        ':claimed': 'claimed',
        ':retrying': 'retrying',
        ...(replaces ? { ':replaces': replaces } : {}),
      },
    });
  }

  /** Notes which delivery an SMS reference names; written again by every attempt (the same item). */
  async putSmsReference(tenantId: string, reference: string, deliveryId: string): Promise<void> {
    await this.table.putIf({ Item: { pk: keys.tenant(tenantId), sk: keys.smsReference(reference), entity: 'sms-reference', deliveryId } });
  }

  async deliveryOfSmsReference(tenantId: string, reference: string): Promise<string | undefined> {
    const item = await this.table.getRaw(keys.tenant(tenantId), keys.smsReference(reference));
    return typeof item?.deliveryId === 'string' ? item.deliveryId : undefined;
  }

  /**
   * SMS sent before smsReference() went out with the delivery id as reference, which Sveve
   * cut to 36 characters: the deliveries whose id starts with it (a few, of one task and
   * notice), read consistently.
   */
  async withIdPrefix(tenantId: string, prefix: string): Promise<Delivery[]> {
    const items = await this.table.all({
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId), ':prefix': keys.delivery(prefix) },
    });
    return items.map((item) => strip<Delivery>(item));
  }

  /** Read consistently: a claim written a moment ago is in the list. */
  async listForTask(tenantId: string, taskId: string): Promise<Delivery[]> {
    const items = await this.table.all({
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId), ':prefix': keys.delivery(`${taskId}-`) },
    });
    return items.map((item) => strip<Delivery>(item));
  }

  /** Newest first. With both filters, the task's list is filtered by customer. */
  listDocuments(tenantId: string, query: { customerId?: string; taskId?: string; limit: number; cursor?: string }): Promise<Page<Delivery>> {
    const [index, partition] = query.taskId
      ? [TABLE.indexes.documentsOfTask, keys.documentsOfTask(tenantId, query.taskId)]
      : [TABLE.indexes.byCustomer, keys.documentsOfCustomer(tenantId, query.customerId ?? '')];
    const both = query.taskId !== undefined && query.customerId !== undefined;
    return this.table.page<Delivery>(
      tenantId,
      {
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': partition, ...(both ? { ':customer': query.customerId } : {}) },
        ...(both ? { FilterExpression: 'customerId = :customer' } : {}),
        ScanIndexForward: false,
        Limit: query.limit,
      },
      query.cursor,
    );
  }

  private item(tenantId: string, delivery: Delivery): Record<string, unknown> {
    const filed = delivery.document && delivery.sentAt && delivery.customerId;
    const sortKey = `${delivery.sentAt}#${delivery.id}`;
    return {
      pk: keys.tenant(tenantId),
      sk: keys.delivery(delivery.id),
      entity: 'delivery',
      ...(filed
        ? {
            gsi2pk: keys.documentsOfCustomer(tenantId, delivery.customerId!),
            gsi2sk: sortKey,
            gsi3pk: keys.documentsOfTask(tenantId, delivery.taskId),
            gsi3sk: sortKey,
          }
        : {}),
      ...delivery,
    };
  }
}
