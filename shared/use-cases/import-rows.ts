import type { ImportRow, ImportTask } from '../api/import-csv.ts';
import type { JobProblem } from '../domain/job.ts';
import type { Customer, Page, Task } from '../domain/model.ts';
import type { Template } from '../domain/template.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { createCustomer } from './customers.ts';
import { idForKey } from './idempotent-create.ts';
import { createTask } from './tasks.ts';

/**
 * One row of an import, written through the same use cases as POST /customers and POST
 * /tasks (their checks, the STOPP record, the task's plan and schedules).
 *
 * Matching, so that importing the same file again creates nothing twice:
 * - The customer is the firm's customer with the row's `customerNumber`, else with its
 *   `orgNumber`. If the two name different customers, the row fails (`ambiguous`). A customer
 *   found is left as it is: where the row says otherwise, the row's problem `customer-kept`
 *   names the columns (the firm changes the customer itself, or on purpose in the file).
 * - A customer not found is created with an id made from its number (`idForKey`), so two
 *   imports racing with the same new customer write one item: the second's conditional write
 *   loses and it takes the first's customer.
 * - A task's id is made from its `externalId` the same way: one task per external id in the
 *   firm, by a single conditional write (no transactions needed). A task found is left as it
 *   is (`task-kept` when the row says otherwise).
 * Items this job created carry the job's id as their idempotency hash: a step taken again after
 * a crash finds them and counts the row `done` once more, not `skipped`.
 */

/** What a row came to: its outcome, and what to list about it (none for a plain `done` or `skipped`). */
export interface RowOutcome {
  outcome: 'done' | 'skipped' | 'failed';
  problems: JobProblem[];
}

/** The firm's customers by number and by organisation number, and its templates by name, read once per step. */
export interface FirmIndex {
  byNumber: Map<string, Customer>;
  byOrgNumber: Map<string, Customer>;
  templates: Map<string, Template[]>;
}

/** Customers per page while the index is read: a page is about 1 KB per customer. */
const PAGE = 500;

export async function readFirmIndex(ports: Pick<Ports, 'store'>, tenantId: string): Promise<FirmIndex> {
  const customers = await allPages((cursor) => ports.store.listCustomers(tenantId, { limit: PAGE, ...(cursor ? { cursor } : {}) }));
  const templates = await allPages((cursor) => ports.store.listTemplates(tenantId, { limit: 100, ...(cursor ? { cursor } : {}) }));
  const index: FirmIndex = { byNumber: new Map(), byOrgNumber: new Map(), templates: new Map() };
  for (const customer of customers) {
    if (customer.customerNumber && !index.byNumber.has(customer.customerNumber)) index.byNumber.set(customer.customerNumber, customer);
    if (customer.orgNumber && !index.byOrgNumber.has(customer.orgNumber)) index.byOrgNumber.set(customer.orgNumber, customer);
  }
  for (const template of templates) {
    const name = templateKey(template.name);
    index.templates.set(name, [...(index.templates.get(name) ?? []), template]);
  }
  return index;
}

async function allPages<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

function templateKey(name: string): string {
  return name.trim().toLocaleLowerCase('nb');
}

/**
 * Imports one row for job `jobId`. Refusals a row can answer for are its outcome; any other
 * error (the table or the Scheduler unavailable) is thrown for the step to fail and run again.
 */
export async function importRow(ports: Ports, tenantId: string, jobId: string, firm: FirmIndex, row: ImportRow): Promise<RowOutcome> {
  // Before anything is written: a row naming no template of the firm writes nothing.
  const template = row.task ? templateOf(firm, row, row.task) : undefined;
  if (template && 'problem' in template) return { outcome: 'failed', problems: [template.problem] };
  const found = await customerOf(ports, tenantId, jobId, firm, row);
  if ('problem' in found) return { outcome: 'failed', problems: [found.problem] };
  // Also when this job created the customer: from another row of the file that says otherwise.
  const notes = customerNotes(row, found.customer);
  if (!row.task) return { outcome: found.created ? 'done' : 'skipped', problems: notes };
  const task = await taskOf(ports, tenantId, jobId, row, row.task, found.customer, template);
  const createdSomething = found.created || task.outcome === 'done';
  const outcome = task.outcome === 'failed' ? 'failed' : createdSomething ? 'done' : 'skipped';
  return { outcome, problems: [...notes, ...task.problems] };
}

type FoundCustomer = { customer: Customer; created: boolean } | { problem: JobProblem };

async function customerOf(ports: Ports, tenantId: string, jobId: string, firm: FirmIndex, row: ImportRow): Promise<FoundCustomer> {
  const { customerNumber, orgNumber } = row.customer;
  const byNumber = customerNumber ? firm.byNumber.get(customerNumber) : undefined;
  const byOrgNumber = orgNumber ? firm.byOrgNumber.get(orgNumber) : undefined;
  if (byNumber && byOrgNumber && byNumber.id !== byOrgNumber.id) {
    const message = `customer number ${customerNumber} and organisation number ${orgNumber} belong to two different customers of the firm`;
    return { problem: rowProblem(row.line, { column: 'orgNumber', rule: 'ambiguous', outcome: 'failed', code: 'invalid', message }) };
  }
  const existing = byNumber ?? byOrgNumber;
  if (existing) return { customer: existing, created: existing.idempotency?.requestHash === jobId };
  const key = customerNumber ? `import:customerNumber:${customerNumber}` : `import:orgNumber:${orgNumber}`;
  try {
    return { customer: await createCustomer(ports, tenantId, row.customer, { key, requestHash: jobId }), created: true };
  } catch (error) {
    // Created meanwhile by another import of the same customer: that one is the firm's customer now.
    const other = error instanceof ConflictError ? await ports.store.getCustomer(tenantId, idForKey(tenantId, 'customer', key)) : undefined;
    if (!other) throw error;
    return { customer: other, created: false };
  }
}

/** The row's customer columns that say otherwise than the firm's customer (kept as it is). */
function customerNotes(row: ImportRow, customer: Customer): JobProblem[] {
  const fields = (['name', 'email', 'mobile', 'orgNumber', 'customerNumber'] as const).filter((field) => {
    const given = row.customer[field];
    return given !== undefined && given.toLowerCase() !== (customer[field] ?? '').toLowerCase();
  });
  if (!fields.length) return [];
  const message = `the firm's customer ${customer.name} has other values in ${fields.join(', ')}; the customer was kept as it is (change it in Frist to change it)`;
  return [rowProblem(row.line, { column: fields[0]!, rule: 'customer-kept', outcome: 'skipped', code: 'customer-kept', message })];
}

async function taskOf(
  ports: Ports,
  tenantId: string,
  jobId: string,
  row: ImportRow,
  imported: ImportTask,
  customer: Customer,
  template: Template | undefined,
): Promise<RowOutcome> {
  const key = `import:externalId:${imported.externalId}`;
  const id = idForKey(tenantId, 'task', key);
  const existing = await ports.store.getTask(tenantId, id);
  if (existing) return existingTask(row, imported, existing, jobId);
  const input = { ...imported.fields, customerId: customer.id, notices: [], ...(template ? { templateId: template.id } : {}) };
  try {
    await createTask(ports, tenantId, input, { key, requestHash: jobId }, { externalId: imported.externalId });
    return { outcome: 'done', problems: [] };
  } catch (error) {
    if (error instanceof ValidationError) return { outcome: 'failed', problems: refusals(row.line, error.issues) };
    if (error instanceof NotFoundError)
      return {
        outcome: 'failed',
        problems: [rowProblem(row.line, { column: 'customerNumber', rule: 'exists', outcome: 'failed', code: 'invalid', message: error.message })],
      };
    // Created meanwhile by another import with this external id: that task stands.
    const other = error instanceof ConflictError ? await ports.store.getTask(tenantId, id) : undefined;
    if (!other) throw error;
    return existingTask(row, imported, other, jobId);
  }
}

/** A task with the row's external id is there: this job's own (a step taken again) is `done`, another's is kept. */
function existingTask(row: ImportRow, imported: ImportTask, task: Task, jobId: string): RowOutcome {
  if (task.idempotency?.requestHash === jobId) return { outcome: 'done', problems: [] };
  const fields = (['title', 'deadline', 'responsible', 'description'] as const).filter(
    (field) => imported.fields[field] !== undefined && imported.fields[field] !== task[field],
  );
  if (!fields.length) return { outcome: 'skipped', problems: [] };
  const message = `task ${imported.externalId} is in Frist already with other values in ${fields.join(', ')}; it was kept as it is`;
  return { outcome: 'skipped', problems: [rowProblem(row.line, { column: fields[0]!, rule: 'task-kept', outcome: 'skipped', code: 'task-kept', message })] };
}

function templateOf(firm: FirmIndex, row: ImportRow, imported: ImportTask): Template | { problem: JobProblem } | undefined {
  if (!imported.templateName) return undefined;
  const named = firm.templates.get(templateKey(imported.templateName)) ?? [];
  if (named.length === 1) return named[0];
  const message = named.length
    ? `${named.length} templates of the firm are called "${imported.templateName}": rename one of them`
    : `the firm has no template called "${imported.templateName}"`;
  return {
    problem: rowProblem(row.line, { column: 'templateName', rule: named.length ? 'ambiguous' : 'exists', outcome: 'failed', code: 'invalid', message }),
  };
}

/** The task save's refusals, each under the column it is about (a template's notices, or the template gone meanwhile, under templateName). */
function refusals(line: number, issues: FieldIssue[]): JobProblem[] {
  return issues.map((issue) => {
    const column =
      issue.field === 'customerId'
        ? 'customerNumber'
        : issue.field.startsWith('notices') || issue.field === 'templateId'
          ? 'templateName'
          : issue.field.split('.')[0]!;
    return rowProblem(line, {
      column,
      rule: issue.rule,
      outcome: 'failed',
      code: 'invalid',
      message: issue.field === column ? issue.message : `${issue.field}: ${issue.message}`,
    });
  });
}

export function rowProblem(line: number, problem: Required<Pick<JobProblem, 'column' | 'rule' | 'outcome' | 'code' | 'message'>>): JobProblem {
  return { line, ...problem };
}
