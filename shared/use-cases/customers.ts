import type * as z from 'zod';
import type { CustomerInput, CustomerUpdate } from '../api/customer.schemas.ts';
import type { Customer, Page } from '../domain/model.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { leftByCrash, minutesToAgeGuard } from './customer-holds.ts';
import { createOnce, idForKey, type Idempotency } from './idempotent-create.ts';

/**
 * Registers a customer; with an idempotency key, a retry returns the first attempt's customer.
 * A mobile that answered STOPP to the firm starts with SMS off (stoppedNumber).
 */
export async function createCustomer(ports: Ports, tenantId: string, fields: CustomerInput, idempotency?: Idempotency): Promise<Customer> {
  const now = ports.clock.now().toISOString();
  const id = idempotency ? idForKey(tenantId, 'customer', idempotency.key) : ports.ids.newId();
  const optOut = await stoppedNumber(ports, tenantId, fields);
  const customer: Customer = {
    ...fields,
    ...(optOut ? { optIn: { ...fields.optIn, sms: false }, optOut } : {}),
    id,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...(idempotency ? { idempotency } : {}),
  };
  return createOnce(
    idempotency,
    async () => {
      await ports.store.putCustomer(tenantId, customer);
      return customer;
    },
    () => ports.store.getCustomer(tenantId, id),
  );
}

export async function getCustomer({ store }: Pick<Ports, 'store'>, tenantId: string, id: string): Promise<Customer> {
  const customer = await store.getCustomer(tenantId, id);
  if (!customer) throw new NotFoundError(`no customer ${id}`);
  return customer;
}

/** A stored customer as a PUT would send it back, the base a merge patch applies to. */
export function customerInput(customer: Customer): z.input<typeof CustomerUpdate> {
  const { name, email, mobile, optIn, orgNumber, customerNumber, version } = customer;
  return { name, email, mobile, optIn, orgNumber, customerNumber, version };
}

export function listCustomers(ports: Ports, tenantId: string, page: { limit: number; cursor?: string; namePrefix?: string }): Promise<Page<Customer>> {
  return ports.store.listCustomers(tenantId, page);
}

/**
 * Replaces a customer's fields if `version` is still the stored one. A STOPP stands until the
 * firm turns SMS on again where the customer shows it (`optOut`: the customer asked for SMS
 * again), which lifts the number's STOPP too. Otherwise a save that asks for SMS to a number
 * that answered STOPP to the firm (a new number, or one whose STOPP this customer missed)
 * keeps SMS off and shows why.
 */
export async function updateCustomer(ports: Ports, tenantId: string, id: string, input: CustomerInput & { version: number }): Promise<Customer> {
  const current = await getCustomer(ports, tenantId, id);
  const { version, ...fields } = input;
  // A suppression belongs to an address: a new address starts clean.
  const suppressed = current.suppressed?.email?.address === fields.email ? current.suppressed : undefined;
  const lifted = fields.optIn.sms && current.optOut !== undefined && fields.mobile === current.mobile;
  const stopped = lifted ? undefined : await stoppedNumber(ports, tenantId, fields);
  const optOut = stopped ?? (fields.optIn.sms ? undefined : current.optOut);
  const next: Customer = {
    ...fields,
    ...(stopped ? { optIn: { ...fields.optIn, sms: false } } : {}),
    ...(suppressed ? { suppressed } : {}),
    ...(optOut ? { optOut } : {}),
    ...(current.idempotency ? { idempotency: current.idempotency } : {}),
    id,
    version: version + 1,
    createdAt: current.createdAt,
    updatedAt: ports.clock.now().toISOString(),
  };
  // Lifted before the save: a crash between the two then leaves SMS off, as the firm can see,
  // rather than a STOPP that would turn this customer off again at its next save.
  if (lifted && fields.mobile && version === current.version) await ports.store.deleteSmsStop(tenantId, fields.mobile);
  await ports.store.putCustomer(tenantId, next, version);
  return next;
}

/** The STOPP of a customer's mobile, when it answered STOPP to the firm and the save asks for SMS. */
async function stoppedNumber(ports: Pick<Ports, 'store'>, tenantId: string, fields: CustomerInput): Promise<Customer['optOut']> {
  if (!fields.mobile || !fields.optIn.sms) return undefined;
  const at = await ports.store.getSmsStop(tenantId, fields.mobile);
  return at ? { at, via: 'sms-stopp' } : undefined;
}

/**
 * Deletes a customer that no task refers to; with tasks, 409 says to move or delete them first.
 * 1. The customer's count of tasks (customer-holds.ts), read consistently: 404 when it is gone.
 * 2. The byCustomer index, for tasks saved before the count existed: any task there is a 409.
 * 3. A count above 0 with no task listed is a task saved a moment ago (not yet in the index),
 *    or a hold a crashed save left: 409 until it has stood still for HOLD_AGE_GUARD_MS.
 * 4. The delete, conditional on the count being as read: a task saved meanwhile makes it 409.
 */
export async function deleteCustomer(ports: Ports, tenantId: string, id: string): Promise<void> {
  const holds = await ports.store.getCustomerHolds(tenantId, id);
  if (!holds) throw new NotFoundError(`no customer ${id}`);
  if (await ports.store.customerHasTasks(tenantId, id)) throw hasTasks();
  const now = ports.clock.now();
  if (holds.count > 0 && !leftByCrash(holds, now)) {
    const minutes = minutesToAgeGuard(holds, now);
    throw new ConflictError(
      `a task for this customer was saved moments ago: delete it or move it to another customer first (GET /tasks?customerId=${id}); ` +
        `if that lists no task, a save was cut short: retry in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    );
  }
  if (!(await ports.store.deleteCustomer(tenantId, id, holds))) throw hasTasks();
}

function hasTasks(): ConflictError {
  return new ConflictError('the customer has tasks; delete them or move them to another customer first');
}

/**
 * Marks a customer's e-mail address as suppressed after SES reported a permanent bounce or
 * a complaint for it, so dispatch stops sending there (and records the skip). An event for an
 * address the customer no longer has, or for a customer that is gone, changes nothing.
 */
export function suppressEmail(
  ports: Pick<Ports, 'store' | 'clock'>,
  tenantId: string,
  customerId: string,
  address: string,
  reason: 'bounce' | 'complaint',
): Promise<boolean> {
  return changeCustomer(ports, tenantId, customerId, (customer, now) =>
    customer.email?.toLowerCase() === address.toLowerCase()
      ? { ...customer, suppressed: { ...customer.suppressed, email: { address: customer.email, reason, at: now } } }
      : undefined,
  );
}

/**
 * A change Frist makes to a customer on its own (a bounce, a STOPP): read consistently, let
 * `change` decide (undefined: nothing to do), write on the version read, so a firm's edit from
 * an older read is a 409 instead of undoing it unseen. A concurrent edit is retried once.
 * True when it wrote.
 */
export async function changeCustomer(
  ports: Pick<Ports, 'store' | 'clock'>,
  tenantId: string,
  customerId: string,
  change: (customer: Customer, now: string) => Customer | undefined,
): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    const customer = await ports.store.getCustomer(tenantId, customerId);
    const now = ports.clock.now().toISOString();
    const next = customer && change(customer, now);
    if (!customer || !next) return false;
    try {
      await ports.store.putCustomer(tenantId, { ...next, version: customer.version + 1, updatedAt: now }, customer.version);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt > 0) throw error;
    }
  }
}
