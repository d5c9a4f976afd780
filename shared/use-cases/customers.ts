import type * as z from 'zod';
import type { CustomerInput, CustomerUpdate } from '../api/customer.schemas.ts';
import type { Customer, Page } from '../domain/model.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { createOnce, idForKey, type Idempotency } from './idempotent-create.ts';

/** Registers a customer; with an idempotency key, a retry returns the first attempt's customer. */
export async function createCustomer(ports: Ports, tenantId: string, fields: CustomerInput, idempotency?: Idempotency): Promise<Customer> {
  const now = ports.clock.now().toISOString();
  const id = idempotency ? idForKey(tenantId, 'customer', idempotency.key) : ports.ids.newId();
  const customer: Customer = { ...fields, id, version: 1, createdAt: now, updatedAt: now, ...(idempotency ? { idempotency } : {}) };
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

/** Replaces a customer's fields if `version` is still the stored one. */
export async function updateCustomer(ports: Ports, tenantId: string, id: string, input: CustomerInput & { version: number }): Promise<Customer> {
  const current = await getCustomer(ports, tenantId, id);
  const { version, ...fields } = input;
  // A suppression belongs to an address: a new address starts clean.
  const suppressed = current.suppressed?.email?.address === fields.email ? current.suppressed : undefined;
  const next: Customer = {
    ...fields,
    ...(suppressed ? { suppressed } : {}),
    ...(current.idempotency ? { idempotency: current.idempotency } : {}),
    id,
    version: version + 1,
    createdAt: current.createdAt,
    updatedAt: ports.clock.now().toISOString(),
  };
  await ports.store.putCustomer(tenantId, next, version);
  return next;
}

/** Deletes a customer that no task refers to; with tasks, 409 says to move or delete them first. */
export async function deleteCustomer(ports: Ports, tenantId: string, id: string): Promise<void> {
  await getCustomer(ports, tenantId, id);
  if (await ports.store.customerHasTasks(tenantId, id)) {
    throw new ConflictError('the customer has tasks; delete them or move them to another customer first');
  }
  await ports.store.deleteCustomer(tenantId, id);
}

/**
 * Marks a customer's e-mail address as suppressed after SES reported a permanent bounce or
 * a complaint for it, so dispatch stops sending there (and records the skip). An event for an
 * address the customer no longer has, or for a customer that is gone, changes nothing.
 * A concurrent edit of the customer is retried once.
 */
export async function suppressEmail(
  ports: Pick<Ports, 'store' | 'clock'>,
  tenantId: string,
  customerId: string,
  address: string,
  reason: 'bounce' | 'complaint',
): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const customer = await ports.store.getCustomer(tenantId, customerId);
    if (!customer?.email || customer.email.toLowerCase() !== address.toLowerCase()) return false;
    const now = ports.clock.now().toISOString();
    const next: Customer = {
      ...customer,
      suppressed: { ...customer.suppressed, email: { address: customer.email, reason, at: now } },
      version: customer.version + 1,
      updatedAt: now,
    };
    try {
      await ports.store.putCustomer(tenantId, next, customer.version);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt > 0) throw error;
    }
  }
  return false;
}
