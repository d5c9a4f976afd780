import type { Customer, CustomerFields, Page } from '../domain/model.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Ports } from '../ports.ts';

export async function createCustomer(ports: Ports, tenantId: string, fields: CustomerFields): Promise<Customer> {
  const now = ports.clock.now().toISOString();
  const customer: Customer = { ...fields, id: ports.ids.newId(), version: 1, createdAt: now, updatedAt: now };
  await ports.store.putCustomer(tenantId, customer);
  return customer;
}

export async function getCustomer({ store }: Pick<Ports, 'store'>, tenantId: string, id: string): Promise<Customer> {
  const customer = await store.getCustomer(tenantId, id);
  if (!customer) throw new NotFoundError(`no customer ${id}`);
  return customer;
}

export function listCustomers(ports: Ports, tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Customer>> {
  return ports.store.listCustomers(tenantId, page);
}

/** Replaces a customer's fields if `version` is still the stored one. */
export async function updateCustomer(
  ports: Ports,
  tenantId: string,
  id: string,
  input: CustomerFields & { version: number },
): Promise<Customer> {
  const current = await getCustomer(ports, tenantId, id);
  const { version, ...fields } = input;
  const next: Customer = {
    ...fields,
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
