import type * as z from 'zod';
import { attentionFrom, attentionOf, latestOutcomes, type Attention } from '../domain/attention.ts';
import { mergeValuesFor } from '../domain/merge-values.ts';
import { formatPhoneForReaders } from '../domain/phone.ts';
import type { NoticeInput, RegisterPage, ScheduleState, TaskInput, TaskQuery, TaskUpdate, TaskView } from '../api/task.schemas.ts';
import type { Customer, Notice, Occurrence, Page, Settings, Task, TaskFields, TaskStatus } from '../domain/model.ts';
import { nextOccurrence, utcSeconds } from '../domain/plan-occurrences.ts';
import { keepAcrossZones, makePlan } from './task-plan.ts';
import { plannedUnder } from '../domain/send-rules.ts';
import { limitBreach, renderNotice } from '../domain/notice-limits.ts';
import { saveWarnings, type SaveWarning } from '../domain/save-warnings.ts';
import { changesNothing, matchStoredNoticeIds } from '../domain/save-changes.ts';
import { smsLimitsInForce } from '../domain/sms-limit-changes.ts';
import {
  ConflictError,
  DependencyUnavailableError,
  NotFoundError,
  UnreadableTaskError,
  ValidationError,
  type FieldIssue,
  type TaskRemains,
} from '../errors.ts';
import type { Ports, TaskPage, UnreadableEntry } from '../ports.ts';
import { getSettings } from './settings.ts';
import { releaseCustomer } from './customer-holds.ts';
import { createOnce, idForKey, type Idempotency } from './idempotent-create.ts';
import { liveClaims, settleDeletedRemains, settleRemoved, type Settled } from './settle-removed.ts';
import { removeSchedules, saveWithSchedules } from './task-schedules.ts';
import { sameNotices, templateCopy } from './task-templates.ts';
import { fitToResponse } from './page-size.ts';
import type { TemplateLink } from '../domain/template.ts';

/**
 * Where an occurrence's schedule stands: `pending` while it waits for its time, `fired` once
 * its time has come (the Scheduler ran it and deleted it), `none` when the plan never
 * scheduled it (past at save) or completion removed it.
 */
export function scheduleState(occurrence: Occurrence, now: Date): ScheduleState {
  if (occurrence.state !== 'scheduled') return 'none';
  return occurrence.at > utcSeconds(now) ? 'pending' : 'fired';
}

export function toTaskView(task: Task, now: Date, attention?: Attention): TaskView {
  const { plan, idempotency: _idempotency, holdsCustomer: _holdsCustomer, template, ...rest } = task;
  const next = nextOccurrence(plan.occurrences, now);
  const schedules = { pending: 0, fired: 0 };
  for (const o of plan.occurrences) {
    const state = scheduleState(o, now);
    if (state !== 'none') schedules[state] += 1;
  }
  return {
    ...rest,
    hasNotices: task.notices.length > 0,
    ...(next ? { nextNoticeAt: next.at } : {}),
    schedules,
    ...(attention ? { attention } : {}),
    ...(template ? { template: { id: template.id, version: template.version } } : {}),
  };
}

/**
 * A stored task as GET shows it: with its customer's name as it is now, and the warning mark
 * its delivery records call for (read from the records themselves: the task page is exact).
 */
export async function readTaskView(ports: Ports, tenantId: string, task: Task): Promise<TaskView> {
  const [deliveries, customer] = await Promise.all([ports.store.listDeliveries(tenantId, task.id), ports.store.getCustomer(tenantId, task.customerId)]);
  return rowView(task, ports.clock.now(), attentionOf(deliveries), customer);
}

function rowView(task: Task, now: Date, attention: Attention | undefined, customer: Customer | undefined): TaskView {
  return { ...toTaskView(task, now, attention), ...(customer ? { customerName: customer.name } : {}) };
}

/**
 * Creates a task.
 * 0. With `templateId`, its notices are the template's (templateCopy) and it remembers the template.
 * 1. The customer must exist in this tenant, with an address for every channel used.
 * 2. SMS texts, filled in for this customer, must fit the segment limit.
 * 3. Notices get ids; the plan is made now, in the tenant's zone.
 * 4. A schedule per future occurrence, then one conditional write (see saveWithSchedules).
 */
export async function createTask(
  ports: Ports,
  tenantId: string,
  input: TaskInput,
  idempotency?: Idempotency,
  imported?: Pick<Task, 'externalId'>,
): Promise<TaskView> {
  const now = ports.clock.now();
  const id = idempotency ? idForKey(tenantId, 'task', idempotency.key) : ports.ids.newId();
  // A retry must also give the notices the same ids, or it would schedule twins of them.
  let notice = 0;
  const ids = idempotency ? { newId: () => idForKey(tenantId, `task-notice-${(notice += 1)}`, idempotency.key) } : ports.ids;
  const { templateId, ...fields } = input;
  const copy = templateId ? await templateCopy(ports, tenantId, templateId, fields) : undefined;
  const { task, warnings } = await prepare({ ...ports, ids }, tenantId, copy?.fields ?? fields, undefined, {
    id,
    status: 'open',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    holdsCustomer: true,
    ...(copy ? { template: copy.link } : {}),
    ...(imported?.externalId ? { externalId: imported.externalId } : {}),
  });
  const existing = () => ports.store.getTask(tenantId, id);
  const created = await createOnce(
    idempotency,
    async () => {
      // A replay is answered before any schedule is touched.
      if (idempotency && (await existing())) throw new ConflictError('an item with this id exists already');
      // Before the task exists: a new task has no deliveries, so its empty mark is complete.
      await ports.store.markAttentionComplete(tenantId, id);
      const withKey: Task = { ...task, ...(idempotency ? { idempotency } : {}) };
      await saveWithSchedules(ports, tenantId, undefined, withKey);
      return withKey;
    },
    existing,
  );
  return { ...toTaskView(await inCurrentZone(ports, tenantId, created), now), warnings };
}

/**
 * Saves the task with its schedules (see saveWithSchedules), then settles what the save
 * removed from the plan: sends already under way are reported, retries are ended.
 */
async function save(ports: Ports, tenantId: string, previous: Task | undefined, next: Task): Promise<Settled> {
  await saveWithSchedules(ports, tenantId, previous, next);
  return previous ? settleRemoved(ports, tenantId, previous, next) : { inFlight: [] };
}

/** The stored task; one that cannot be read (a damaged item) is logged for the operator with its firm and id. */
export async function getTask({ store, log }: Pick<Ports, 'store' | 'log'>, tenantId: string, id: string): Promise<Task> {
  let task: Task | undefined;
  try {
    task = await store.getTask(tenantId, id);
  } catch (error) {
    if (error instanceof UnreadableTaskError) logUnreadable(log, tenantId, error);
    throw error;
  }
  if (!task) throw new NotFoundError(`no task ${id}`);
  return task;
}

function logUnreadable(log: Ports['log'], tenantId: string, error: UnreadableTaskError): void {
  log.error('stored task cannot be read', { tenantId, taskId: error.taskId, error: describeCause(error.cause) });
}

/** What went wrong in the stored bytes, without them: the cause's name and the library's words. */
function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : 'unknown';
}

/**
 * The page's tasks, all of them: a job step does not pass over a task it cannot read, it fails
 * (and comes back) as any step whose reads fail, so that no task is silently left out of a job.
 */
export function everyTask(page: TaskPage): Page<Task> {
  const [unreadable] = page.unreadable;
  if (unreadable) throw unreadable.error;
  return { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/**
 * A stored task as a PUT would send it back, the base a merge patch applies to: its notices
 * keep their ids, so a patch that leaves them alone leaves their schedules alone.
 */
export function taskInput(task: Task): z.input<typeof TaskUpdate> {
  const { title, customerId, deadline, responsible, description, notices, version } = task;
  return { title, customerId, deadline, responsible, description, notices, version };
}

/**
 * Replaces a task's fields and notices if `version` is still the stored one, and re-plans.
 * Notices changed by hand end the task's link to its template (see shared/domain/template.ts).
 */
export async function updateTask(ports: Ports, tenantId: string, id: string, input: TaskUpdateInput): Promise<TaskView> {
  const current = await getTask(ports, tenantId, id);
  const { version, ...fields } = input;
  if (current.version !== version) throw staleVersion(version);
  return replaceTask(ports, tenantId, current, fields, (task) =>
    current.template && sameNotices(task.notices, current.notices) ? current.template : undefined,
  );
}

/**
 * Saves `fields` over `current` through the task save path: checked, planned, the schedules
 * moved, one write conditional on `current.version` (ConflictError when the task moved on),
 * then what the save removed settled. `link` decides the template link of the task as saved.
 * Notices sent without their ids take those of the stored notices they equal, and a save that
 * changes nothing (save-changes.ts) writes nothing: the answer is the stored task, same version.
 */
export async function replaceTask(
  ports: Ports,
  tenantId: string,
  current: Task,
  fields: TaskInput,
  link: (task: Task) => TemplateLink | undefined,
): Promise<TaskView> {
  const { task: prepared, warnings } = await prepare(ports, tenantId, fields, current, {
    id: current.id,
    status: current.status,
    completedAt: current.completedAt,
    idempotency: current.idempotency,
    externalId: current.externalId,
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: ports.clock.now().toISOString(),
    // A task saved before the count existed is counted from this save on.
    holdsCustomer: true,
  });
  const template = link(prepared);
  const task: Task = { ...prepared, template };
  if (!template) delete task.template;
  // Nothing to write: the task stays as it is, version and all, and no schedule is touched.
  if (changesNothing(current, task)) return { ...toTaskView(current, ports.clock.now()), inFlight: [], warnings };
  const settled = await save(ports, tenantId, current, task);
  return { ...toTaskView(await inCurrentZone(ports, tenantId, task), ports.clock.now()), ...settled, warnings };
}

/**
 * Deletes the task, lets its customer go, then deletes its schedules. Should a schedule
 * survive, it fires into a dispatch that finds no task and does nothing. Sends already under
 * way are reported in `inFlight`.
 * A damaged task (its notices do not unpack) is deleted the same way from what of it still
 * reads: its version, customer hold and plan are kept outside the notices. No other route can
 * change it, so this is how the firm gets rid of it (and makes it anew if it wants it back).
 */
export async function deleteTask(ports: Ports, tenantId: string, id: string): Promise<{ id: string } & Settled> {
  const current = await deletable(ports, tenantId, id);
  // Only the version read: what is settled below is what was deleted, not an older plan.
  const removed = await ports.store.deleteTask(tenantId, id, current.version);
  // Only the call that removed the task releases its hold: of two racing deletes, one does.
  if (removed && current.holdsCustomer) await releaseCustomer(ports, tenantId, current.customerId);
  await removeSchedules(ports, tenantId, current);
  if ('notices' in current) return { id, ...(await settleRemoved(ports, tenantId, current, undefined)) };
  if (removed) ports.log.warn('damaged task deleted', { tenantId, taskId: id });
  return { id, ...(await settleDeletedRemains(ports, tenantId, current)) };
}

/** The task to delete, or, when its notices cannot be read, the rest of it (logged as unreadable all the same). */
async function deletable(ports: Ports, tenantId: string, id: string): Promise<Task | TaskRemains> {
  try {
    return await getTask(ports, tenantId, id);
  } catch (error) {
    if (error instanceof UnreadableTaskError && error.remains) return error.remains;
    throw error;
  }
}

/**
 * Completes (or reopens) a task and re-plans it: completion stops every occurrence still to
 * come; reopening schedules again those that have not passed. Doing it twice is harmless.
 */
export async function setTaskStatus(ports: Ports, tenantId: string, id: string, status: TaskStatus): Promise<TaskView> {
  const current = await getTask(ports, tenantId, id);
  const now = ports.clock.now();
  // Done already (a retried request): the answer still names the sends under way.
  if (current.status === status) return { ...toTaskView(current, now), ...(await liveClaims(ports, tenantId, current)) };
  const settings = await getSettings(ports, tenantId);
  const version = current.version + 1;
  const task: Task = {
    ...current,
    status,
    completedAt: status === 'completed' ? now.toISOString() : undefined,
    version,
    updatedAt: now.toISOString(),
    plan: makePlan(current, current, status, settings, now, version),
  };
  const settled = await save(ports, tenantId, current, task);
  return { ...toTaskView(status === 'open' ? await inCurrentZone(ports, tenantId, task) : task, now), ...settled };
}

/**
 * Plans an open task again in the firm's current time zone and under its current send rules
 * (business days, quiet hours), if its plan was made under others, and moves its schedules. Returns the task as saved, or undefined when there was
 * nothing to do. A concurrent save that wins may have planned in the old zone (it read the
 * settings before the change), so the task is read again and looked at again.
 * An occurrence that was due under the old plan, or whose new time has passed already, keeps
 * its old instant: a change of zone neither sends a notice twice nor drops one.
 */
export async function replanInZone(ports: Ports, tenantId: string, task: Task, settings: Settings): Promise<Task | undefined> {
  let current: Task | undefined = task;
  for (let tries = 0; current && tries < 5; tries += 1) {
    if (current.status !== 'open' || plannedUnder(current.plan, settings)) return undefined;
    const now = ports.clock.now();
    const version = current.version + 1;
    const plan = makePlan(current, current, 'open', settings, now, version);
    const next: Task = { ...current, version, updatedAt: now.toISOString(), plan: { ...plan, occurrences: keepAcrossZones(current, plan.occurrences, now) } };
    try {
      await save(ports, tenantId, current, next);
      return next;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      current = await ports.store.getTask(tenantId, task.id);
    }
  }
  if (!current) return undefined;
  throw new DependencyUnavailableError('the task kept changing while it was planned in the new time zone; retry shortly');
}

/**
 * After a save, the firm's zone is read again: a change of zone that landed while the task
 * was being planned (its job may have passed this task already) is followed here, or, should
 * that fail, by the reconciler, which looks for tasks in an old zone 26 hours ahead.
 */
async function inCurrentZone(ports: Ports, tenantId: string, saved: Task): Promise<Task> {
  try {
    return (await replanInZone(ports, tenantId, saved, await getSettings(ports, tenantId))) ?? saved;
  } catch (error) {
    // The save stands (never an error after its write); the reconciler re-plans the task.
    ports.log.warn('task left to the reconciler in its old time zone', { tenantId, taskId: saved.id, error: (error as Error).name });
    return saved;
  }
}

/**
 * A page of the register: the index query and the tasks (queryTasks), then their customers and
 * warning marks in one read by key. A task whose mark cannot be trusted (saved before marks
 * existed, see attention-marks.ts) has its delivery records read instead. A page whose rows
 * would not fit the answer (page-size.ts) ends at the last that fits, with the cursor
 * after it. A task that cannot
 * be read (a damaged item) is left out of `items` and named by its id in `unreadable`, so the
 * firm sees the rest and knows what is missing; each is logged for the operator.
 */
export async function listTasks(ports: Ports, tenantId: string, query: TaskQuery): Promise<RegisterPage> {
  const { unreadable, ...page } = await ports.store.queryTasks(tenantId, query);
  if (!page.items.length) return { ...page, items: [], ...named(ports, tenantId, unreadable) };
  const customerIds = [...new Set(page.items.map((task) => task.customerId))];
  const { customers, marks } = await ports.store.registerDetails(
    tenantId,
    customerIds,
    page.items.map((task) => task.id),
  );
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const now = ports.clock.now();
  const latestOf = async (task: Task) => marks.get(task.id) ?? latestOutcomes(await ports.store.listDeliveries(tenantId, task.id));
  const items = await Promise.all(page.items.map(async (task) => rowView(task, now, attentionFrom(await latestOf(task)), byId.get(task.customerId))));
  const fitted = fitToResponse(page, items, (task) => ports.store.taskCursorAfter(tenantId, query, task));
  // A page cut short for size goes on after its last row: an unreadable task past that row is
  // read again by the next page, and named there, not here.
  const cut = fitted.items.length < items.length;
  return { ...fitted, ...named(ports, tenantId, cut ? unreadable.filter((u) => u.after < fitted.items.length) : unreadable) };
}

/** The page's `unreadable` member, present only when some are; each logged for the operator. */
function named(ports: Ports, tenantId: string, unreadable: UnreadableEntry[]): Pick<RegisterPage, 'unreadable'> {
  for (const { error } of unreadable) logUnreadable(ports.log, tenantId, error);
  return unreadable.length ? { unreadable: unreadable.map(({ error }) => ({ id: error.taskId })) } : {};
}

type TaskIdentity = Pick<
  Task,
  'id' | 'status' | 'completedAt' | 'version' | 'createdAt' | 'updatedAt' | 'idempotency' | 'holdsCustomer' | 'template' | 'externalId'
>;
type TaskUpdateInput = Omit<TaskInput, 'templateId'> & { version: number };

async function prepare(
  ports: Ports,
  tenantId: string,
  input: TaskInput,
  previous: Task | undefined,
  identity: TaskIdentity,
): Promise<{ task: Task; warnings: SaveWarning[] }> {
  const customer = await ports.store.getCustomer(tenantId, input.customerId);
  if (!customer) throw ValidationError.of('customerId', 'exists', `no customer ${input.customerId} in this firm`);
  const settings = await getSettings(ports, tenantId);
  const { templateId: _templateId, ...rest } = input;
  const notices = assignNoticeIds(ports, matchStoredNoticeIds(input.notices, previous?.notices ?? []));
  const fields: TaskFields = { ...rest, notices };
  checkNotices(fields, customer, settings, ports.limits.smsMaxSegments, ports.clock.now());
  const now = ports.clock.now();
  const task: Task = { ...fields, ...identity, plan: makePlan(fields, previous, identity.status, settings, now, identity.version) };
  return { task, warnings: saveWarnings(task, previous, customer, settings, smsLimitsInForce(settings, now, ports.limits.smsCeiling)) };
}

function staleVersion(version: number): ConflictError {
  return new ConflictError(`the task changed since version ${version} was read; read it again and reapply your change`);
}

export function assignNoticeIds(ports: Ports, notices: NoticeInput[]): Notice[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  const result = notices.map((notice, index) => {
    const id = notice.id ?? ports.ids.newId();
    if (seen.has(id)) issues.push({ field: `notices.${index}.id`, rule: 'unique', message: `notice id ${id} is used twice` });
    seen.add(id);
    return { ...notice, id };
  });
  if (issues.length) throw new ValidationError(issues);
  return result;
}

/**
 * Each channel needs an address on the customer; each text, filled in for this customer,
 * must fit the limits that dispatch applies again at send (see notice-limits.ts).
 */
function checkNotices(task: TaskFields, customer: Customer, settings: Settings, maxSegments: number, now: Date): void {
  const issues: FieldIssue[] = [];
  const values = mergeValuesFor(task, customer, settings, now, formatPhoneForReaders);
  task.notices.forEach((notice, index) => {
    for (const channel of notice.channels) {
      if (!(channel === 'email' ? customer.email : customer.mobile)) {
        const address = channel === 'email' ? 'e-mail address' : 'mobile number';
        issues.push({ field: `notices.${index}.channels`, rule: 'customer-address', message: `the customer has no ${address}` });
      }
      const breach = limitBreach(renderNotice(notice, task.title, channel, values, settings.smsOptOutLine), maxSegments);
      const field = `notices.${index}.${breach?.field}`;
      if (breach && !issues.some((i) => i.field === field && i.rule === breach.rule)) issues.push({ field, rule: breach.rule, message: breach.message });
    }
  });
  if (issues.length) throw new ValidationError(issues);
}
