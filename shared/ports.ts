import type { DispatchEvent } from './api/dispatch-event.schema.ts';
import type { Outcome } from './domain/attention.ts';
import type { TaskQuery } from './api/task.schemas.ts';
import type { DeliveryCode } from './domain/delivery-codes.ts';
import type { Delivery, Receipt, SkipReason } from './domain/delivery.ts';
import type { Channel, Customer, Page, Settings, Task } from './domain/model.ts';
import type { UnreadableTaskError } from './errors.ts';
import type { SmsCeiling } from './domain/sms-limit-changes.ts';
import type { SmsCapRule, SmsCounter } from './domain/sms-limits.ts';
import type { JobQueue, JobStore } from './job-ports.ts';
import type { Template } from './domain/template.ts';
import type { WebhookPorts, WebhookStore } from './webhook-ports.ts';

/**
 * The ports the use cases receive. Adapters implement them for AWS (and, through the
 * same AWS SDK clients, for the local stand-ins); tests may pass their own.
 */

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

/** Where a stored secret lives: its name and the version written. */
export interface SecretRef {
  name: string;
  versionId: string;
}

/** Tenant secrets (the SMS password), kept outside the table. */
export interface SecretStore {
  /** Writes a new version of the tenant's secret `name`. */
  put(tenantId: string, name: string, value: string): Promise<SecretRef>;
  get(ref: SecretRef): Promise<string | undefined>;
  /** Deletes the tenant's secret `name` with all its versions, at once; a secret already gone is no error. */
  remove(tenantId: string, name: string): Promise<void>;
}

/** A page of tasks, and those of its entries that could not be read (each fails alone). */
export interface TaskPage extends Page<Task> {
  unreadable: UnreadableEntry[];
}

/** An entry of a task page that could not be read, and where it stood among the page's items. */
export interface UnreadableEntry {
  error: UnreadableTaskError;
  /** How many of the page's `items` come before it in the index's order (a page cut short after its k-th item holds those under k). */
  after: number;
}

/** An item read by key with others (Store.getByKeys): a firm's task, customer or settings. */
export type ItemRef = { kind: 'task' | 'customer'; tenantId: string; id: string } | { kind: 'settings'; tenantId: string };

/** A customer's count of the tasks on it, and when it last changed (shared/use-cases/customer-holds.ts). */
export interface CustomerHolds {
  count: number;
  changedAt: string | undefined;
}

/**
 * How a delivery's write notes its outcome. `noteAlongside` only for a `sent` written after the
 * provider accepted: the message is out whether or not the record lands (a lost claim, a
 * failed write, a function that dies), so the mark may say so first. Should the record not
 * land, the attempt that takes the claim over notes its own outcome later, which the mark's
 * maximum rule keeps (a later record time). Any other outcome is noted only once written: a
 * skip or failure whose write lost the claim did not happen.
 */
export interface DeliveryUpdate {
  noteAlongside?: boolean;
}

/**
 * Persistence. Writes are single-item and conditional: `put*` with `expectedVersion`
 * undefined creates (and fails with ConflictError if the id exists); with a number it
 * replaces only that version (else ConflictError).
 */
export interface Store extends JobStore, WebhookStore {
  getSettings(tenantId: string): Promise<Settings | undefined>;
  putSettings(tenantId: string, settings: Settings, expectedVersion: number): Promise<void>;

  getCustomer(tenantId: string, id: string): Promise<Customer | undefined>;
  /** Customers by id (at most 100) in one read; an id with no customer is left out. */
  /**
   * A register page's customers and the warning marks of its tasks (the latest outcome of each
   * channel, shared/domain/attention.ts), in one read by key. A task missing from `marks` has
   * no mark to trust (saved before marks existed, or a note failed): read its deliveries.
   */
  registerDetails(tenantId: string, customerIds: string[], taskIds: string[]): Promise<{ customers: Customer[]; marks: Map<string, Outcome[]> }>;
  /** Says that a task's warning mark covers all its deliveries: at its create (it has none yet). */
  markAttentionComplete(tenantId: string, taskId: string): Promise<void>;
  listCustomers(tenantId: string, page: { limit: number; cursor?: string; namePrefix?: string }): Promise<Page<Customer>>;
  /** A replacement leaves the customer's count of tasks as it is. */
  putCustomer(tenantId: string, customer: Customer, expectedVersion?: number): Promise<void>;
  /** Adds one to the customer's count of tasks and stamps it `at`; false when there is no such customer. */
  holdCustomer(tenantId: string, customerId: string, at: string): Promise<boolean>;
  /** Takes one from the count (never below 0) and stamps it `at`; false when there was none. */
  releaseCustomer(tenantId: string, customerId: string, at: string): Promise<boolean>;
  /** The count as stored; undefined when there is no such customer. */
  getCustomerHolds(tenantId: string, customerId: string): Promise<CustomerHolds | undefined>;
  /** Deletes the customer if its count is still as `seen` (0: none at all); false when it changed. */
  deleteCustomer(tenantId: string, id: string, seen: CustomerHolds): Promise<boolean>;
  customerHasTasks(tenantId: string, customerId: string): Promise<boolean>;
  /** The ids of the firm's customers with this mobile number (E.164), from an index: it may lag a moment behind. */
  customerIdsByMobile(tenantId: string, mobile: string): Promise<string[]>;
  /** Notes that this mobile (E.164) answered STOPP to the firm at `at`; the first time is kept. */
  putSmsStop(tenantId: string, mobile: string, at: string): Promise<void>;
  /** When this mobile answered STOPP to the firm, read consistently; undefined if it has not (or it was lifted). */
  getSmsStop(tenantId: string, mobile: string): Promise<string | undefined>;
  /** Lifts the number's STOPP: the firm turned SMS on again for it. */
  deleteSmsStop(tenantId: string, mobile: string): Promise<void>;

  getTemplate(tenantId: string, id: string): Promise<Template | undefined>;
  /** By name (case-insensitive), paged. */
  listTemplates(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Template>>;
  /** The cursor of the templates' next page when a page ends at `template` (one that page listed). */
  templateCursorAfter(tenantId: string, template: Template): string;
  putTemplate(tenantId: string, template: Template, expectedVersion?: number): Promise<void>;
  /** Deletes the template if it is still at `expectedVersion` (else ConflictError); false when it was gone. */
  deleteTemplate(tenantId: string, id: string, expectedVersion: number): Promise<boolean>;

  getTask(tenantId: string, id: string): Promise<Task | undefined>;
  /**
   * Tasks, customers and settings by key, all in one read (BatchGetItem, consistent, 100 keys
   * a call), in the order asked for; undefined where there is no such item. An item that cannot
   * be read (a task whose packed notices do not unpack) is its error, so that it fails its own
   * reader only, not every notice of the batch it was read with.
   */
  getByKeys(refs: readonly ItemRef[]): Promise<(Task | Customer | Settings | undefined | Error)[]>;
  /** A register page: a task that cannot be read is left out of `items` and given in `unreadable`, failing itself only. */
  queryTasks(tenantId: string, query: TaskQuery): Promise<TaskPage>;
  /** The cursor of `query`'s next page when a page of it ends at `task` (a task that page listed). */
  taskCursorAfter(tenantId: string, query: TaskQuery, task: Task): string;
  /**
   * Writes the task (a conditional PutItem: any older schedules mark is dropped). With
   * `schedulesConfirmed`, the item carries the mark of its own version, nothing being left to
   * do after this write: `made`, the save made every schedule its plan wants before it;
   * `kept`, it made its new ones and keeps the others of `expectedVersion`, which are there
   * only if that version was confirmed itself: else the item goes without the mark.
   */
  putTask(tenantId: string, task: Task, expectedVersion?: number, options?: { schedulesConfirmed?: 'made' | 'kept' }): Promise<void>;
  /**
   * Deletes the task if it is still at `expectedVersion` (else ConflictError). True when this
   * call removed it, false when it was gone already (a concurrent delete, or the SDK's retry).
   */
  deleteTask(tenantId: string, id: string, expectedVersion: number): Promise<boolean>;
  /** Tasks whose entry in the due index lies in [from, to], across tenants (the reconciler). */
  queryDueTasks(from: string, to: string): Promise<DueTask[]>;
  /**
   * Marks the task's schedules as confirmed to match its plan at `version`, if the task is
   * still at that version; false when it is not (a newer save, or it was deleted).
   */
  confirmSchedules(tenantId: string, taskId: string, version: number): Promise<boolean>;
  /** Removes the task's schedules mark, if the task is still at `version` and has one; false when nothing was removed. */
  withdrawSchedulesConfirmation(tenantId: string, taskId: string, version: number): Promise<boolean>;
  /** Moves a task's entry in the due index (or removes it), if the task is still at `version`. */
  setDueIndex(tenantId: string, taskId: string, version: number, nextAt: string | undefined): Promise<boolean>;

  getDelivery(tenantId: string, id: string): Promise<Delivery | undefined>;
  /**
   * Claims a delivery for one attempt: succeeds when no record exists, or the record is
   * skipped, retrying, or claimed with a lease that ran out. Returns the claimed record
   * (attempts counted) and the record it replaced, or undefined when another attempt holds
   * a live claim or the delivery is final (sent, failed).
   */
  claimDelivery(tenantId: string, delivery: Delivery, now: string): Promise<{ claimed: Delivery; replaced?: Delivery } | undefined>;
  /** Records a skip unless the delivery is under a live claim or decided already; false then. */
  recordSkip(tenantId: string, delivery: Delivery, now: string): Promise<boolean>;
  /**
   * Moves a claimed delivery on (sent, failed, retrying, skipped) or files its document.
   * With `claimToken`, only while that claim holds the record; false when it did not.
   * `options`: see DeliveryUpdate.
   */
  updateDelivery(tenantId: string, delivery: Delivery, claimToken?: string, options?: DeliveryUpdate): Promise<boolean>;
  /**
   * Notes a final delivery in its task's warning mark again (idempotent: the mark keeps the
   * latest outcome per channel). The writes above note what they make final themselves.
   */
  noteOutcome(tenantId: string, delivery: Delivery): Promise<void>;
  listDeliveries(tenantId: string, taskId: string): Promise<Delivery[]>;
  /**
   * Records a provider's report on a delivery, over none or over one with the status
   * `replaces` (see DeliveryRecords.recordReceipt); false when nothing changed.
   */
  recordReceipt(tenantId: string, deliveryId: string, receipt: Receipt, replaces?: Receipt['status']): Promise<boolean>;
  /** Notes the delivery an SMS reference stands for, before the SMS goes out. */
  putSmsReference(tenantId: string, reference: string, deliveryId: string): Promise<void>;
  deliveryOfSmsReference(tenantId: string, reference: string): Promise<string | undefined>;
  /** Deliveries whose id starts with `prefix`: the receipts of SMS sent with the older, cut-off reference. */
  deliveriesWithIdPrefix(tenantId: string, prefix: string): Promise<Delivery[]>;
  listDocuments(tenantId: string, query: { customerId?: string; taskId?: string; limit: number; cursor?: string }): Promise<Page<Delivery>>;

  /**
   * Takes one unit of an SMS cap's counter if it is below its cap (one conditional write);
   * false when the cap is reached. `token` names this take: the SDK's retry of a take whose
   * answer was lost finds it and takes nothing more.
   */
  takeSmsUnit(tenantId: string, counter: SmsCounter, token: string): Promise<boolean>;
  /** Gives a unit taken a moment ago back (never below 0). */
  returnSmsUnit(tenantId: string, counter: SmsCounter): Promise<void>;
  /**
   * Reserves `count` sends of a provider lane in one second of real time (epoch seconds): one
   * ADD on that second's counter. Returns the counter after it; the reservation is the
   * counter's last `count` places (shared/use-cases/send-pacing.ts).
   */
  reserveSendSlots(lane: string, second: number, count: number): Promise<number>;
}

/** A task as the due index holds it (the index may lag a moment behind the table). */
export interface DueTask {
  tenantId: string;
  /** What the reconciler decides by; it reads the whole task when it acts on it. */
  task: Pick<Task, 'id' | 'version' | 'plan'>;
  /** The entry's instant: the task's earliest occurrence not yet final, or its next one to come. */
  dueAt: string;
  /** The version whose schedules a sync confirmed (absent: none since the last save). */
  schedulesConfirmed?: number;
}

/** The payload of every notice schedule, what dispatch receives: its schema is the one source. */
export type { DispatchEvent };

export interface ScheduleSpec {
  name: string;
  /** When it fires: a UTC instant; the occurrence's own instant, or later for a late send. */
  at: string;
  input: DispatchEvent;
}

/** EventBridge Scheduler, limited to Frist's group. */
export interface SchedulerPort {
  /** Creates the schedule; one of that name existing already is fine (names are immutable). */
  create(spec: ScheduleSpec): Promise<'created' | 'existed'>;
  /** Deletes it; one that already fired and deleted itself is fine. */
  delete(name: string): Promise<void>;
  /** The schedules whose names start with `prefix`, with when each was created. */
  list(prefix: string): Promise<{ name: string; createdAt?: Date }[]>;
}

export interface RawEmail {
  from: string;
  to: string;
  raw: Buffer;
  /** SES message tags: they come back in bounce and complaint events. */
  tags: Record<string, string>;
}

/**
 * When a provider call must be over: `endBy`, wall-clock epoch ms (the sending invocation is
 * stopped soon after it). A send paced to the deployment's rate that cannot start early enough
 * to end by then is refused as transient (`send-rate`) without calling (send-pacing.ts).
 */
export interface SendBounds {
  endBy?: number;
}

export interface Mailer {
  /** Sends a raw MIME message; throws DeliveryError (transient or permanent) on failure. */
  sendRaw(email: RawEmail, bounds?: SendBounds): Promise<{ messageId: string }>;
}

export interface SmsMessage {
  account: { username: string; password: string };
  from: string;
  to: string;
  text: string;
  /** The delivery's SMS reference (smsReference in shared/domain/delivery.ts), echoed by providers in receipts. */
  reference: string;
}

/** The protocol of the deployment's SMS gateway (`SMS_PROVIDER`): how it sends, and how its receipts and inbound messages come. */
export type SmsProvider = 'generic' | 'sveve';

export interface SmsGateway {
  /** Sends one SMS; throws DeliveryError (transient or permanent) on failure. */
  send(message: SmsMessage, bounds?: SendBounds): Promise<{ providerId: string }>;
}

/** The document center's object store. */
export interface Archive {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
}

/** Structured logging (Powertools' Logger fits); never message bodies or addresses. */
export interface Log {
  /** Off as deployed (LOG_LEVEL INFO): what only a search for one case needs. */
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * What Frist counts, and by what. Names and dimensions are closed sets (a dimension value is
 * a series of its own, and each series costs), and none names a tenant, task or address.
 */
export interface MetricDimensions {
  /** A channel the provider accepted. */
  NoticeSent: { Channel: Channel };
  /** A channel that failed for good (refused, too long, too late, no account): never retried. */
  NoticeFailed: { Channel: Channel; Reason: DeliveryCode };
  /** A channel not sent, by design: the task completed, the customer opted out, ... */
  NoticeSkipped: { Reason: SkipReason };
  /** An SMS not sent because it would have gone over a cap (shared/domain/sms-limits.ts). */
  SmsRateLimited: { Rule: SmsCapRule };
  /** A firm asked for higher SMS caps or another country: in force only after the delay, unless undone. */
  SmsCapRaiseRequested: Record<string, never>;
  /** A channel whose dispatch must come back later (a transient failure, a held claim). */
  NoticeRetried: { Channel: Channel; Reason: DeliveryCode };
  /** A provider call that ended without a readable answer: the recipient may have the message. */
  NoticeOutcomeUnknown: { Channel: Channel };
  /** Channels of occurrences still not final an hour after their time (each reconciler run). */
  NoticesOverdue: Record<string, never>;
  /** Occurrences the reconciler handed to dispatch again. */
  OccurrencesResent: Record<string, never>;
}

export type MetricName = keyof MetricDimensions;

/** Counts for CloudWatch metrics (namespace `Frist`, a `service` dimension per function). */
export interface Metrics {
  count<N extends MetricName>(name: N, dimensions: MetricDimensions[N], value?: number): void;
}

export interface Ports {
  log: Log;
  metrics: Metrics;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretStore;
  scheduler: SchedulerPort;
  archive: Archive;
  limits: {
    smsMaxSegments: number;
    /** The most a firm's SMS caps may be, and the countries it may allow (shared/domain/sms-limit-changes.ts). */
    smsCeiling: SmsCeiling;
    /** How long a raise of a firm's SMS caps waits before it is in force. */
    smsRaiseDelayHours: number;
  };
  /** What the service uses when a firm has not set its own: the SMS sender until the firm's is activated. */
  defaults: { smsSender: string; smsProvider: SmsProvider };
  /** Where background steps are sent (shared/job-ports.ts). */
  jobs: JobQueue;
  /** Where events go to the firm's endpoints, and how they are called (shared/webhook-ports.ts). */
  webhooks: WebhookPorts;
}

/** What dispatch needs: the common ports but the Scheduler and the jobs queue, plus the senders. */
export interface SendingPorts extends Omit<Ports, 'scheduler' | 'jobs'> {
  mailer: Mailer;
  sms: SmsGateway;
  sending: {
    smsDefaultSender: string;
    emailDefaultFrom?: string;
    claimLeaseSeconds: number;
    /** The deployment's own cap: SMS per UTC day across every firm. */
    smsDeploymentPerDay: number;
  };
  /** The dispatch queue, to send a notice deferred by the send rate back to (unset: it is not). */
  dispatchQueue?: DispatchQueue;
}

/** The dispatch queue, as dispatch sends to it: one message, in the firm's group, after a delay. */
export interface DispatchQueue {
  send(body: string, groupId: string, delaySeconds: number): Promise<void>;
}
