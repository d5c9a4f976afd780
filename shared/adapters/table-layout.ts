/**
 * The single table's layout, shared by the store adapter, the local stack (CreateTable) and
 * the CDK stack, so the three cannot drift apart.
 *
 * | item      | pk        | sk           | gsi1pk: gsi8 (register) | gsi2pk: gsi9 (by customer) | gsi3pk: gsi3 (by task) |
 * |-----------|-----------|--------------|-----------------------|--------------------------|---------------------------|
 * | settings  | T#tenant  | SETTINGS     |                       |                          |                           |
 * | customer  | T#tenant  | C#id         | T#tenant#CUSTOMERS    |                          |                           |
 * | task      | T#tenant  | K#id         | T#tenant#TASKS        | T#tenant#C#customerId    |                           |
 * | att. mark | T#tenant  | AM#taskId    |                       |                          |                           |
 * | delivery  | T#tenant  | D#deliveryId |                       | T#tenant#DOC#C#customer  | T#tenant#DOC#K#taskId     |
 * | job       | T#tenant  | JOB#id       |                       |                          |                           |
 * | job part  | T#tenant  | JOB#id[.hash]#PART#n |              |                          |                           |
 * | job problem | T#tenant | JOB#id#P#taskId |                   |                          |                           |
 * | template  | T#tenant  | TPL#id       | T#tenant#TEMPLATES    |                          |                           |
 * | SMS cap   | T#tenant  | SMS#counter  |                       |                          |                           |
 * | SMS cap   | SMS#DEPLOYMENT | SMS#counter |                  |                          |                           |
 * | SMS ref   | T#tenant  | SMSREF#ref   |                       |                          |                           |
 * | STOPP     | T#tenant  | SMSSTOP#hash |                       |                          |                           |
 * | webhook   | T#tenant  | WH#id        |                       |                          |                           |
 * | wh. deliv.| T#tenant  | WHD#endpoint#event |                 |                          |                           |
 *
 * Columns name the key attributes, then the index on them. A delivery enters gsi9/gsi3 (sorted
 * `sentAt#id`) once its copy is filed: those are the document center's lists per customer and
 * per task. Tasks with an occurrence still to schedule are also in the due index, gsi10
 * (`gsi4pk` = `DUE#shard`, sorted `nextAt#tenant#task`), spread over four partitions, for the
 * reconciler's look across tenants. A background job (shared/domain/job.ts) is in it too while
 * it is active, under its own partition `JOBS` (sorted `updatedAt#tenant#job`), so the
 * reconciler finds the jobs that stopped moving with one query; the due query names the `DUE#`
 * partitions only and never sees them.
 *
 * What each index holds is what it costs: DynamoDB writes an index entry when the item's
 * write puts, changes or removes what the index projects, and copies that much. The register,
 * a customer's tasks and the clock-mark indexes hold keys only (gsi8, gsi9, gsi6, gsi7): an
 * entry is written when the task comes, goes, or changes status, deadline, customer or mark,
 * not on every save, and a page reads its items by key (BatchGetItem). The due index holds what
 * the reconciler decides by (INCLUDE: the task's id, version, plan and schedules mark), so its
 * run reads a few hundred bytes per task, not the task with its notices' texts. The document
 * center's list per task (gsi3) holds whole delivery records still: a delivery is written to it
 * once or twice, and replacing it would take two more deploys (docs/decisions.md). gsi8, gsi9
 * and gsi10 replace gsi1, gsi2 and gsi4, which held whole items; a table deployed by an earlier
 * version gets there by indexesAtUpgradeStep.
 *
 * An SMS reference item (`SMSREF#<ref>`, written before the SMS goes out) names the delivery
 * that a provider's receipt with that reference is about (shared/domain/delivery.ts,
 * smsReference).
 *
 * A STOPP item (`SMSSTOP#<hash of the number>`, shared/domain/number-key.ts) notes that a
 * number answered STOPP to the firm, so a customer that gets the number later starts with SMS
 * off (shared/use-cases/customers.ts). It has no `mobile` attribute, so gsi5 never sees it.
 *
 * gsi5 finds a firm's customers by mobile number (an inbound STOPP): its keys are the
 * customer's own `mobile` (E.164) and the table's `pk`, so every customer with a mobile is in
 * it, also those saved before the index existed, and no other item is (no other item has a
 * top-level `mobile`).
 *
 * Customers (and templates) sit in gsi8 under their own partition, sorted by `lower-cased name#id`: the
 * customer list is alphabetical and can be narrowed by the start of the name. A customer item
 * also counts the tasks on it (HOLD_ATTRIBUTES, shared/use-cases/customer-holds.ts): its delete
 * is conditional on that count, which the byCustomer index cannot give (it lags behind).
 *
 * The SMS caps' counters (shared/domain/sms-limits.ts) are items of their own, one per window:
 * the firm's under its partition, the deployment's under one partition of their own. They
 * carry `expiresAt`, the table's TTL attribute.
 *
 * The four task indexes share one sort key, `deadlineKey#taskId`, where deadlineKey is the
 * deadline's date (and wall-clock time as written), or `~` for no deadline, which sorts
 * after every date. gsi6 serves the register's clock mark (`hasNotices`) across the firm: a
 * partition per status and mark, so "open tasks without notices" is read, not filtered out
 * of every task. It holds keys only (KEYS_ONLY): DynamoDB writes an index entry only when a
 * key changes (status, mark, deadline), not on every save, and the page's items are read by
 * key. gsi7 does the same within one customer (a partition per customer, status and mark):
 * a customer with thousands of tasks, most of them completed, has its few open ones read, not
 * filtered out of the rest (a filter after the read took up to five queries and could still
 * leave a page short). A customer's tasks without a status or mark asked for come from gsi9; a
 * status across the firm is gsi6's two partitions of that status.
 */
/**
 * The task item's mark `schedules confirmed at version N`: a sync (a save's, or the
 * reconciler's) found the Scheduler holding exactly what the plan of version N wants. A save's
 * PutItem drops it; the reconciler lists the schedules only of tasks whose mark is below
 * their version (docs/architecture.md, "Schedule sync"). Internal: never returned.
 */
export const SCHEDULES_CONFIRMED = 'schedulesConfirmed';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    register: { name: 'gsi8', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY', replaces: 'gsi1' },
    byCustomer: { name: 'gsi9', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY', replaces: 'gsi2' },
    documentsOfTask: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    due: {
      name: 'gsi10',
      partitionKey: 'gsi4pk',
      sortKey: 'gsi4sk',
      projection: 'INCLUDE',
      nonKeyAttributes: ['id', 'version', 'plan', SCHEDULES_CONFIRMED],
      replaces: 'gsi4',
    },
    byMobile: { name: 'gsi5', partitionKey: 'mobile', sortKey: 'pk' },
    byStatusNotices: { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', projection: 'KEYS_ONLY' },
    byCustomerStatusNotices: { name: 'gsi7', partitionKey: 'gsi7pk', sortKey: 'gsi7sk', projection: 'KEYS_ONLY' },
  },
} as const;

export type TableIndex = (typeof TABLE.indexes)[keyof typeof TABLE.indexes];

/**
 * The index a query reads while `index` does not answer yet: the one it replaces (all of the
 * item, so everything the new one projects and more) while a deployment upgraded from an
 * earlier version has not created the new one or DynamoDB is still filling it.
 */
export function formerIndexOf(indexName: string | undefined): string | undefined {
  const index = Object.values(TABLE.indexes).find((i) => i.name === indexName);
  return index && 'replaces' in index ? index.replaces : undefined;
}

/**
 * How a table deployed by an earlier version (gsi1 to gsi7, gsi1, gsi2 and gsi4 projecting
 * whole items) reaches this layout: DynamoDB creates or deletes one index per table update,
 * and so does CloudFormation per stack update. First the replacements are created, each on the
 * keys its former index had, so DynamoDB fills them from the items as they are; then the
 * former ones are deleted. Step n has the first n changes done; the last step is TABLE.
 */
export function indexesAtUpgradeStep(
  step: number,
): { name: string; partitionKey: string; sortKey: string; projection: string; nonKeyAttributes?: readonly string[] }[] {
  const current = Object.values(TABLE.indexes).map((index) => ({ projection: 'ALL', ...index }));
  const replacing = current.filter((index) => 'replaces' in index);
  const created = replacing.slice(0, step).map((index) => index.name);
  const deleted = replacing.slice(0, Math.max(0, step - replacing.length)).map((index) => index.replaces);
  const former = replacing
    .filter((index) => !deleted.includes(index.replaces))
    .map(({ replaces, partitionKey, sortKey }) => ({ name: replaces, partitionKey, sortKey, projection: 'ALL' }));
  return [...former, ...current.filter((index) => !('replaces' in index) || created.includes(index.name))];
}

/** The number of steps from the earlier layout to this one (indexesAtUpgradeStep). */
export const INDEX_UPGRADE_STEPS = Object.values(TABLE.indexes).filter((index) => 'replaces' in index).length * 2;

export const NO_DEADLINE_KEY = '~';

/** The table's TTL attribute (epoch seconds): items that only matter for a while (the SMS caps' counters). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The customer item's count of tasks on it, when it last changed, and the token of the last
 * change (a retry of a change whose answer was lost finds its own token and does nothing).
 * Internal: the store never returns them as part of a customer.
 */
export const HOLD_ATTRIBUTES = ['taskRefs', 'taskRefsAt', 'taskRefsToken'] as const;

/** Partitions of the due index: its writes spread over four keys instead of one hot one. */
export const DUE_SHARDS = 4;

export const keys = {
  tenant: (tenantId: string) => `T#${tenantId}`,
  settings: () => 'SETTINGS',
  customer: (id: string) => `C#${id}`,
  task: (id: string) => `K#${id}`,
  register: (tenantId: string) => `T#${tenantId}#TASKS`,
  customers: (tenantId: string) => `T#${tenantId}#CUSTOMERS`,
  customerName: (name: string) => name.trim().toLocaleLowerCase('nb'),
  byCustomer: (tenantId: string, customerId: string) => `T#${tenantId}#C#${customerId}`,
  byStatusNotices: (tenantId: string, status: string, hasNotices: boolean) => `T#${tenantId}#S#${status}#N#${hasNotices ? 'y' : 'n'}`,
  byCustomerStatusNotices: (tenantId: string, customerId: string, status: string, hasNotices: boolean) =>
    `T#${tenantId}#C#${customerId}#S#${status}#N#${hasNotices ? 'y' : 'n'}`,
  delivery: (id: string) => `D#${id}`,
  /** The register's warning mark of a task (attention-marks.ts). */
  attentionMark: (taskId: string) => `AM#${taskId}`,
  smsReference: (ref: string) => `SMSREF#${ref}`,
  job: (id: string) => `JOB#${id}`,
  /** A part of a job's input (a chunk of its task ids), written with the job, read by its steps. */
  jobPart: (id: string, part: number) => `JOB#${id}#PART#${String(part).padStart(4, '0')}`,
  /** A task a job did not do (shared/domain/job.ts, JobProblem), one item per task: a step taken twice writes it twice, the same. */
  jobProblems: (id: string) => `JOB#${id}#P#`,
  template: (id: string) => `TPL#${id}`,
  templates: (tenantId: string) => `T#${tenantId}#TEMPLATES`,
  webhook: (id: string) => `WH#${id}`,
  /** One event's delivery to one endpoint: the endpoint's records sort by event id, which sorts by time. */
  webhookDelivery: (endpointId: string, eventId: string) => `WHD#${endpointId}#${eventId}`,
  /** An SMS cap's counter (`per-day#2027-02-10`, ...). */
  smsCounter: (id: string) => `SMS#${id}`,
  /** A number that answered STOPP to the firm, by its hash (number-key.ts). */
  smsStop: (numberKey: string) => `SMSSTOP#${numberKey}`,
  /** The partition of the deployment's own counters (across firms). */
  deploymentCounters: () => 'SMS#DEPLOYMENT',
  /** The deployment's send pacer of one provider lane (`ses`, `sms-generic`): one item per second (send-slot-records.ts). */
  sendSlots: (lane: string) => `PACE#${lane}`,
  sendSecond: (second: number) => `S#${second}`,
  /** The gsi4 partition of active jobs. */
  activeJobs: () => 'JOBS',
  documentsOfCustomer: (tenantId: string, customerId: string) => `T#${tenantId}#DOC#C#${customerId}`,
  documentsOfTask: (tenantId: string, taskId: string) => `T#${tenantId}#DOC#K#${taskId}`,
  dueShard: (taskId: string) => `DUE#${[...taskId].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % DUE_SHARDS}`,
  /** `2027-02-10` or `2027-02-10T14:00` (the wall clock as written, offset dropped). */
  deadline: (deadline: string | undefined) => (deadline ? deadline.slice(0, 16) : NO_DEADLINE_KEY),
};
