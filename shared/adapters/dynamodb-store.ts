import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TaskQuery } from '../api/task.schemas.ts';
import type { Delivery, Receipt } from '../domain/delivery.ts';
import type { Job, JobProblem } from '../domain/job.ts';
import { numberKey } from '../domain/number-key.ts';
import type { Template } from '../domain/template.ts';
import type { SmsCounter } from '../domain/sms-limits.ts';
import { CUSTOMER_MEMBERS, TASK_STATUSES, type Customer, type Page, type Settings, type Task } from '../domain/model.ts';
import type { CustomerHolds, DeliveryUpdate, DueTask, ItemRef, Store, TaskPage, UnreadableEntry } from '../ports.ts';
import { CustomerHoldRecords } from './customer-holds.ts';
import { DeliveryRecords } from './delivery-records.ts';
import { AttentionMarks, marksFrom } from './attention-marks.ts';
import type { Outcome } from '../domain/attention.ts';
import { cursorAt, DynamoTable, strip } from './dynamodb-table.ts';
import { PACKED_NOTICES, noticesAttribute, unpackNotices } from './dynamodb-packed-notices.ts';
import { JobRecords } from './job-records.ts';
import { WebhookRecords } from './webhook-records.ts';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../domain/webhook.ts';
import type { WebhookDeliveryChange } from '../webhook-ports.ts';
import { reserveSendSlots } from './send-slot-records.ts';
import { SmsCounterRecords } from './sms-counter-records.ts';
import { TemplateRecords } from './template-records.ts';
import { DUE_SHARDS, keys, SCHEDULES_CONFIRMED, TABLE } from './table-layout.ts';
import { ConflictError, UnreadableTaskError, type TaskRemains } from '../errors.ts';

/** The attributes the due index's query returns (DueTask): what it projects, also when the query falls back to the index it replaced. */
const DUE_ATTRIBUTES = ['pk', 'sk', TABLE.indexes.due.sortKey, ...TABLE.indexes.due.nonKeyAttributes];

export class DynamoDbStore implements Store {
  private readonly table: DynamoTable;
  private readonly deliveries: DeliveryRecords;
  private readonly marks: AttentionMarks;
  private readonly jobs: JobRecords;
  private readonly holds: CustomerHoldRecords;
  private readonly smsCounters: SmsCounterRecords;
  private readonly templates: TemplateRecords;
  private readonly webhooks: WebhookRecords;

  private readonly packNotices: boolean;

  /** `packNotices`: whether a save writes a task's notices packed (both forms are read either way). */
  constructor(db: DynamoDBDocumentClient, tableName: string, options: { packNotices?: boolean } = {}) {
    this.packNotices = options.packNotices ?? true;
    this.table = new DynamoTable(db, tableName);
    this.holds = new CustomerHoldRecords(this.table);
    this.marks = new AttentionMarks(this.table);
    this.deliveries = new DeliveryRecords(this.table, this.marks);
    this.jobs = new JobRecords(this.table);
    this.smsCounters = new SmsCounterRecords(this.table);
    this.templates = new TemplateRecords(this.table);
    this.webhooks = new WebhookRecords(this.table);
  }

  getSettings(tenantId: string): Promise<Settings | undefined> {
    return this.table.get<Settings>(keys.tenant(tenantId), keys.settings());
  }

  putSettings(tenantId: string, settings: Settings, expectedVersion: number): Promise<void> {
    const item = { pk: keys.tenant(tenantId), sk: keys.settings(), entity: 'settings', ...settings };
    return this.table.putVersioned(item, expectedVersion === 0 ? undefined : expectedVersion);
  }

  getCustomer(tenantId: string, id: string): Promise<Customer | undefined> {
    return this.table.get<Customer>(keys.tenant(tenantId), keys.customer(id));
  }

  /** A register page's customers and its tasks' warning marks, read by key together (BatchGetItem, 100 keys a call). */
  async registerDetails(tenantId: string, customerIds: string[], taskIds: string[]): Promise<{ customers: Customer[]; marks: Map<string, Outcome[]> }> {
    const customerKeys = customerIds.map((id) => ({ pk: keys.tenant(tenantId), sk: keys.customer(id) }));
    const items = await this.table.getMany([...customerKeys, ...this.marks.keysOf(tenantId, taskIds)]);
    return {
      customers: items.filter((item) => item.entity === 'customer').map((item) => strip<Customer>(item)),
      marks: marksFrom(items),
    };
  }

  markAttentionComplete(tenantId: string, taskId: string): Promise<void> {
    return this.marks.markComplete(tenantId, taskId);
  }

  /** Alphabetical by name (case-insensitive); `namePrefix` narrows to names that start with it. */
  listCustomers(tenantId: string, page: { limit: number; cursor?: string; namePrefix?: string }): Promise<Page<Customer>> {
    const index = TABLE.indexes.register;
    return this.table.page<Customer>(
      tenantId,
      {
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :pk AND begins_with(${index.sortKey}, :prefix)`,
        ExpressionAttributeValues: { ':pk': keys.customers(tenantId), ':prefix': keys.customerName(page.namePrefix ?? '') },
        Limit: page.limit,
      },
      page.cursor,
    );
  }

  /** A replacement sets the customer's members and removes those it lacks; its count of tasks stays. */
  putCustomer(tenantId: string, customer: Customer, expectedVersion?: number): Promise<void> {
    const item: Record<string, unknown> = {
      pk: keys.tenant(tenantId),
      sk: keys.customer(customer.id),
      entity: 'customer',
      gsi1pk: keys.customers(tenantId),
      gsi1sk: `${keys.customerName(customer.name)}#${customer.id}`,
      ...customer,
    };
    if (expectedVersion === undefined) return this.table.putVersioned(item, undefined);
    return this.table.updateVersioned(
      item,
      expectedVersion,
      CUSTOMER_MEMBERS.filter((name) => item[name] === undefined),
    );
  }

  holdCustomer(tenantId: string, customerId: string, at: string): Promise<boolean> {
    return this.holds.hold(tenantId, customerId, at);
  }

  releaseCustomer(tenantId: string, customerId: string, at: string): Promise<boolean> {
    return this.holds.release(tenantId, customerId, at);
  }

  getCustomerHolds(tenantId: string, customerId: string): Promise<CustomerHolds | undefined> {
    return this.holds.read(tenantId, customerId);
  }

  deleteCustomer(tenantId: string, id: string, seen: CustomerHolds): Promise<boolean> {
    return this.holds.deleteIfUnheld(tenantId, id, seen);
  }

  customerHasTasks(tenantId: string, customerId: string): Promise<boolean> {
    const index = TABLE.indexes.byCustomer;
    return this.table.any({
      IndexName: index.name,
      KeyConditionExpression: `${index.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': keys.byCustomer(tenantId, customerId) },
    });
  }

  /** gsi5 (table-layout.ts): every item with this `mobile` in the firm's partition is a customer. */
  async customerIdsByMobile(tenantId: string, mobile: string): Promise<string[]> {
    const index = TABLE.indexes.byMobile;
    const items = await this.table.all({
      IndexName: index.name,
      KeyConditionExpression: `${index.partitionKey} = :mobile AND ${index.sortKey} = :pk`,
      ExpressionAttributeValues: { ':mobile': mobile, ':pk': keys.tenant(tenantId) },
    });
    return items.filter((item) => item.entity === 'customer').map((item) => String(item.id));
  }

  async putSmsStop(tenantId: string, mobile: string, at: string): Promise<void> {
    await this.table.putIf({
      Item: { pk: keys.tenant(tenantId), sk: keys.smsStop(numberKey(mobile)), entity: 'sms-stop', at },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async getSmsStop(tenantId: string, mobile: string): Promise<string | undefined> {
    const item = await this.table.getRaw(keys.tenant(tenantId), keys.smsStop(numberKey(mobile)));
    return typeof item?.at === 'string' ? item.at : undefined;
  }

  async deleteSmsStop(tenantId: string, mobile: string): Promise<void> {
    await this.table.deleteIf({ Key: { pk: keys.tenant(tenantId), sk: keys.smsStop(numberKey(mobile)) } });
  }

  async getTask(tenantId: string, id: string): Promise<Task | undefined> {
    const item = await this.table.getRaw(keys.tenant(tenantId), keys.task(id));
    return item ? readTask(item) : undefined;
  }

  /** Items of several firms by key, read consistently in one BatchGetItem (100 keys a call). */
  async getByKeys(refs: readonly ItemRef[]): Promise<(Task | Customer | Settings | undefined | Error)[]> {
    const wanted = refs.map((ref) => ({ pk: keys.tenant(ref.tenantId), sk: ref.kind === 'settings' ? keys.settings() : keys[ref.kind](ref.id) }));
    // BatchGetItem refuses a key asked for twice.
    const unique = [...new Map(wanted.map((key) => [`${key.pk}|${key.sk}`, key])).values()];
    const found = new Map((await this.table.getMany(unique, true)).map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
    return wanted.map((key, i) => {
      const item = found.get(`${key.pk}|${key.sk}`);
      if (!item) return undefined;
      try {
        return refs[i]!.kind === 'task' ? readTask(item) : strip<Customer | Settings>(item);
      } catch (error) {
        return error as Error;
      }
    });
  }

  async putTask(tenantId: string, task: Task, expectedVersion?: number, options: { schedulesConfirmed?: 'made' | 'kept' } = {}): Promise<void> {
    const item = this.taskItem(tenantId, task);
    const marked = { ...item, [SCHEDULES_CONFIRMED]: task.version };
    if (!options.schedulesConfirmed) return this.table.putVersioned(item, expectedVersion);
    if (options.schedulesConfirmed === 'made' || expectedVersion === undefined) return this.table.putVersioned(marked, expectedVersion);
    // Kept schedules are confirmed only if the version they were kept from was: the write
    // carries the mark on that condition, and goes without it (a second try) when it fails.
    try {
      return await this.table.putVersioned(marked, expectedVersion, SCHEDULES_CONFIRMED);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return this.table.putVersioned(item, expectedVersion);
    }
  }

  private taskItem(tenantId: string, task: Task): Record<string, unknown> {
    const sortKey = `${keys.deadline(task.deadline)}#${task.id}`;
    const nextAt = task.plan.occurrences.find((o) => o.state === 'scheduled')?.at;
    const { notices, ...rest } = task;
    return {
      pk: keys.tenant(tenantId),
      sk: keys.task(task.id),
      entity: 'task',
      gsi1pk: keys.register(tenantId),
      gsi1sk: sortKey,
      gsi2pk: keys.byCustomer(tenantId, task.customerId),
      gsi2sk: sortKey,
      gsi6pk: keys.byStatusNotices(tenantId, task.status, task.notices.length > 0),
      gsi6sk: sortKey,
      gsi7pk: keys.byCustomerStatusNotices(tenantId, task.customerId, task.status, task.notices.length > 0),
      gsi7sk: sortKey,
      ...(nextAt ? { gsi4pk: keys.dueShard(task.id), gsi4sk: `${nextAt}#${tenantId}#${task.id}` } : {}),
      ...rest,
      ...noticesAttribute(notices, this.packNotices),
    };
  }

  deleteTask(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.table.deleteVersioned(keys.tenant(tenantId), keys.task(id), expectedVersion);
  }

  /**
   * The task register. A status or clock mark asked for is read from a keys-only index with a
   * partition per status and mark (gsi6 across the firm, gsi7 within a customer), the
   * partitions of each status and mark asked for side by side (DynamoTable.pageAcross); else
   * the byCustomer or register index (keys only too). The page's tasks are then read by key.
   * The deadline range is a range on the sort key every task index shares. No filter after
   * the read: every page costs the same few calls.
   */
  async queryTasks(tenantId: string, query: TaskQuery): Promise<TaskPage> {
    const page = await this.taskPage(tenantId, query);
    const items: Task[] = [];
    const unreadable: UnreadableEntry[] = [];
    for (const item of page.items) {
      try {
        items.push(readTask(item));
      } catch (error) {
        unreadable.push({ error: error as UnreadableTaskError, after: items.length });
      }
    }
    return { ...page, items, unreadable };
  }

  taskCursorAfter(tenantId: string, query: TaskQuery, task: Task): string {
    return cursorAt(this.taskItem(tenantId, task), this.taskIndexOf(query));
  }

  /** The index a register query reads: by status and mark (across the firm or within a customer), a customer's, or the firm's. */
  private taskIndexOf(query: TaskQuery): { name: string; partitionKey: string; sortKey: string } {
    if (query.hasNotices !== undefined || query.status !== undefined) {
      return query.customerId ? TABLE.indexes.byCustomerStatusNotices : TABLE.indexes.byStatusNotices;
    }
    return query.customerId ? TABLE.indexes.byCustomer : TABLE.indexes.register;
  }

  private taskPage(tenantId: string, query: TaskQuery): Promise<Page<Record<string, unknown>>> {
    const values: Record<string, unknown> = {};
    let range: string | undefined;
    if (query.deadlineFrom !== undefined || query.deadlineTo !== undefined) {
      // `~` sorts after every date and after `T`, so `to~` closes the range at the end of
      // that day, and tasks without a deadline (`~#id`) fall outside every range.
      range = 'BETWEEN :from AND :to';
      values[':from'] = query.deadlineFrom ?? '0000-01-01';
      values[':to'] = `${query.deadlineTo ?? '9999-12-31'}~`;
    }
    const index = this.taskIndexOf(query);
    if (query.hasNotices !== undefined || query.status !== undefined) {
      const statuses = query.status ? [query.status] : TASK_STATUSES;
      const marks = query.hasNotices === undefined ? [true, false] : [query.hasNotices];
      const partitions = statuses.flatMap((status) =>
        marks.map((mark) =>
          query.customerId ? keys.byCustomerStatusNotices(tenantId, query.customerId, status, mark) : keys.byStatusNotices(tenantId, status, mark),
        ),
      );
      return this.table.pageAcross<Record<string, unknown>>(
        tenantId,
        index,
        partitions,
        { ...(range ? { condition: `${index.sortKey} ${range}`, values } : {}), limit: query.limit },
        query.cursor,
      );
    }
    values[':pk'] = query.customerId ? keys.byCustomer(tenantId, query.customerId) : keys.register(tenantId);
    return this.table.page<Record<string, unknown>>(
      tenantId,
      {
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :pk${range ? ` AND ${index.sortKey} ${range}` : ''}`,
        ExpressionAttributeValues: values,
        Limit: query.limit,
      },
      query.cursor,
    );
  }

  async queryDueTasks(from: string, to: string): Promise<DueTask[]> {
    const index = TABLE.indexes.due;
    const shards = Array.from({ length: DUE_SHARDS }, (_, shard) => `DUE#${shard}`);
    const pages = await Promise.all(
      shards.map((shard) =>
        this.table.all({
          IndexName: index.name,
          KeyConditionExpression: `${index.partitionKey} = :pk AND ${index.sortKey} BETWEEN :from AND :to`,
          ExpressionAttributeValues: { ':pk': shard, ':from': from, ':to': `${to}~` },
          // Only what the reconciler decides by: a run may read 100,000 entries, and a task's
          // notices (their texts) are most of its item.
          ProjectionExpression: DUE_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(DUE_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
        }),
      ),
    );
    return pages.flat().map((item) => ({
      tenantId: String(item.pk).slice(2),
      task: strip<DueTask['task']>(item),
      dueAt: String(item.gsi4sk).split('#')[0]!,
      ...(typeof item[SCHEDULES_CONFIRMED] === 'number' ? { schedulesConfirmed: item[SCHEDULES_CONFIRMED] } : {}),
    }));
  }

  /**
   * Conditional on the version: a save that wrote a newer version meanwhile (its PutItem
   * dropped the mark) is not marked by the sync of an older one.
   */
  confirmSchedules(tenantId: string, taskId: string, version: number): Promise<boolean> {
    return this.changeScheduleMark(tenantId, taskId, version, 'SET #confirmed = :version', '');
  }

  withdrawSchedulesConfirmation(tenantId: string, taskId: string, version: number): Promise<boolean> {
    return this.changeScheduleMark(tenantId, taskId, version, 'REMOVE #confirmed', ' AND attribute_exists(#confirmed)');
  }

  /** An update of the schedules mark while the task is at `version` (and `condition` holds). */
  private changeScheduleMark(tenantId: string, taskId: string, version: number, update: string, condition: string): Promise<boolean> {
    return this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.task(taskId) },
      UpdateExpression: update,
      ConditionExpression: `version = :version${condition}`,
      ExpressionAttributeNames: { '#confirmed': SCHEDULES_CONFIRMED },
      ExpressionAttributeValues: { ':version': version },
    });
  }

  setDueIndex(tenantId: string, taskId: string, version: number, nextAt: string | undefined): Promise<boolean> {
    return this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.task(taskId) },
      ...(nextAt
        ? {
            UpdateExpression: 'SET gsi4pk = :shard, gsi4sk = :due',
            ExpressionAttributeValues: { ':shard': keys.dueShard(taskId), ':due': `${nextAt}#${tenantId}#${taskId}`, ':version': version },
          }
        : { UpdateExpression: 'REMOVE gsi4pk, gsi4sk', ExpressionAttributeValues: { ':version': version } }),
      ConditionExpression: 'version = :version',
    });
  }

  getDelivery(tenantId: string, id: string): Promise<Delivery | undefined> {
    return this.deliveries.get(tenantId, id);
  }

  claimDelivery(tenantId: string, delivery: Delivery, now: string): Promise<{ claimed: Delivery; replaced?: Delivery } | undefined> {
    return this.deliveries.claim(tenantId, delivery, now);
  }

  recordSkip(tenantId: string, delivery: Delivery, now: string): Promise<boolean> {
    return this.deliveries.recordSkip(tenantId, delivery, now);
  }

  updateDelivery(tenantId: string, delivery: Delivery, claimToken?: string, options?: DeliveryUpdate): Promise<boolean> {
    return this.deliveries.update(tenantId, delivery, claimToken, options);
  }

  async noteOutcome(tenantId: string, delivery: Delivery): Promise<void> {
    await this.deliveries.noted(tenantId, delivery);
  }

  listDeliveries(tenantId: string, taskId: string): Promise<Delivery[]> {
    return this.deliveries.listForTask(tenantId, taskId);
  }

  recordReceipt(tenantId: string, deliveryId: string, receipt: Receipt, replaces?: Receipt['status']): Promise<boolean> {
    return this.deliveries.recordReceipt(tenantId, deliveryId, receipt, replaces);
  }

  putSmsReference(tenantId: string, reference: string, deliveryId: string): Promise<void> {
    return this.deliveries.putSmsReference(tenantId, reference, deliveryId);
  }

  deliveryOfSmsReference(tenantId: string, reference: string): Promise<string | undefined> {
    return this.deliveries.deliveryOfSmsReference(tenantId, reference);
  }

  deliveriesWithIdPrefix(tenantId: string, prefix: string): Promise<Delivery[]> {
    return this.deliveries.withIdPrefix(tenantId, prefix);
  }

  listDocuments(tenantId: string, query: { customerId?: string; taskId?: string; limit: number; cursor?: string }): Promise<Page<Delivery>> {
    return this.deliveries.listDocuments(tenantId, query);
  }

  takeSmsUnit(tenantId: string, counter: SmsCounter, token: string): Promise<boolean> {
    return this.smsCounters.take(tenantId, counter, token);
  }

  returnSmsUnit(tenantId: string, counter: SmsCounter): Promise<void> {
    return this.smsCounters.giveBack(tenantId, counter);
  }

  reserveSendSlots(lane: string, second: number, count: number): Promise<number> {
    return reserveSendSlots(this.table, lane, second, count);
  }

  createJob(tenantId: string, job: Job): Promise<void> {
    return this.jobs.create(tenantId, job);
  }

  getJob(tenantId: string, id: string): Promise<Job | undefined> {
    return this.jobs.get(tenantId, id);
  }

  saveJob(tenantId: string, job: Job, readStep: number): Promise<boolean> {
    return this.jobs.save(tenantId, job, readStep);
  }

  markJobAnnounced(tenantId: string, id: string): Promise<void> {
    return this.jobs.markAnnounced(tenantId, id);
  }

  queryStalledJobs(before: string): Promise<{ tenantId: string; job: Job }[]> {
    return this.jobs.stalled(before);
  }

  putJobPart(tenantId: string, jobId: string, part: number, values: string[]): Promise<void> {
    return this.jobs.putPart(tenantId, jobId, part, values);
  }

  getJobPart(tenantId: string, jobId: string, part: number): Promise<string[] | undefined> {
    return this.jobs.part(tenantId, jobId, part);
  }

  putJobProblem(tenantId: string, jobId: string, problem: JobProblem, index?: number): Promise<void> {
    return this.jobs.putProblem(tenantId, jobId, problem, index);
  }

  listJobProblems(tenantId: string, jobId: string, page: { limit: number; cursor?: string }): Promise<Page<JobProblem>> {
    return this.jobs.problems(tenantId, jobId, page);
  }

  getTemplate(tenantId: string, id: string): Promise<Template | undefined> {
    return this.templates.get(tenantId, id);
  }

  listTemplates(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Template>> {
    return this.templates.list(tenantId, page);
  }

  templateCursorAfter(tenantId: string, template: Template): string {
    return this.templates.cursorAfter(tenantId, template);
  }

  putTemplate(tenantId: string, template: Template, expectedVersion?: number): Promise<void> {
    return this.templates.put(tenantId, template, expectedVersion);
  }

  deleteTemplate(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.templates.delete(tenantId, id, expectedVersion);
  }

  createWebhook(tenantId: string, endpoint: WebhookEndpoint): Promise<void> {
    return this.webhooks.create(tenantId, endpoint);
  }

  getWebhook(tenantId: string, id: string): Promise<WebhookEndpoint | undefined> {
    return this.webhooks.get(tenantId, id);
  }

  listWebhooks(tenantId: string): Promise<WebhookEndpoint[]> {
    return this.webhooks.list(tenantId);
  }

  putWebhook(tenantId: string, endpoint: WebhookEndpoint, expectedVersion: number): Promise<void> {
    return this.webhooks.put(tenantId, endpoint, expectedVersion);
  }

  deleteWebhook(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.webhooks.delete(tenantId, id, expectedVersion);
  }

  markWebhookFailing(tenantId: string, id: string, at: string): Promise<WebhookEndpoint | undefined> {
    return this.webhooks.markFailing(tenantId, id, at);
  }

  markWebhookHealthy(tenantId: string, id: string): Promise<void> {
    return this.webhooks.markHealthy(tenantId, id);
  }

  disableWebhook(tenantId: string, id: string, failingSince: string, at: string): Promise<boolean> {
    return this.webhooks.disable(tenantId, id, failingSince, at);
  }

  getWebhookDelivery(tenantId: string, endpointId: string, eventId: string): Promise<WebhookDelivery | undefined> {
    return this.webhooks.getDelivery(tenantId, endpointId, eventId);
  }

  recordWebhookAttempt(tenantId: string, change: WebhookDeliveryChange, attempt?: WebhookAttempt): Promise<boolean> {
    return this.webhooks.recordAttempt(tenantId, change, attempt);
  }

  listWebhookDeliveries(tenantId: string, endpointId: string, page: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>> {
    return this.webhooks.listDeliveries(tenantId, endpointId, page);
  }
}

/**
 * A task item as the store gives it: keys stripped, its notices unpacked. A task whose notices
 * do not unpack into a list (a damaged item: packed bytes cut short, the attribute gone or of
 * another type, JSON that is not a list of notices) is an UnreadableTaskError naming it, so
 * that it fails its own reader only, instead of passing on as a task without notices that
 * breaks every reader it reaches (a whole register page, an answer that breaks the contract).
 */
function readTask(item: Record<string, unknown>): Task {
  try {
    const read = unpackNotices(item);
    if (!isNoticeList(read.notices)) throw new TypeError('the task item holds no list of notices');
    return strip<Task>(read);
  } catch (error) {
    throw new UnreadableTaskError(String(item.id), error, remainsOf(item));
  }
}

/** A list of objects: the shape every notice has (their fields were checked when they were saved). */
function isNoticeList(notices: unknown): boolean {
  return Array.isArray(notices) && notices.every((notice) => typeof notice === 'object' && notice !== null && !Array.isArray(notice));
}

/** The rest of a task item whose notices do not unpack, if what a deletion needs of it is there (a version, a customer, a plan). */
function remainsOf(item: Record<string, unknown>): TaskRemains | undefined {
  const { [PACKED_NOTICES]: _packed, notices: _notices, ...rest } = item;
  const plan = rest.plan as { occurrences?: unknown } | undefined;
  const whole = typeof rest.version === 'number' && typeof rest.customerId === 'string' && Array.isArray(plan?.occurrences);
  return whole ? strip<TaskRemains>(rest) : undefined;
}
