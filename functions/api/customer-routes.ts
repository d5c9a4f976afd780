import { Customer, CustomerCreate, CustomerPatch, CustomerUpdate } from '../../shared/api/customer.schemas.ts';
import { Cursor, Limit, pageOf } from '../../shared/api/common.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import { type Customer as StoredCustomer } from '../../shared/domain/model.ts';
import { createCustomer, customerInput, deleteCustomer, getCustomer, listCustomers, updateCustomer } from '../../shared/use-cases/customers.ts';
import { mergePatchRoute } from './merge-patch-route.ts';
import { route, type Route } from './route.ts';

const CustomerQuery = z.strictObject({
  namePrefix: z.string().max(200).trim().min(1).optional().openapi({ description: 'Only customers whose name starts with this (case-insensitive).' }),
  limit: Limit,
  cursor: Cursor,
});

/** A customer as the API shows it: without the idempotency record of its creation. */
function customerView(customer: StoredCustomer): z.infer<typeof Customer> {
  const { idempotency: _idempotency, ...view } = customer;
  return view;
}

const putCustomer = route({
  method: 'PUT',
  path: '/customers/{id}',
  summary: 'Replace a customer',
  tag: 'customers',
  status: 200,
  body: CustomerUpdate,
  response: Customer,
  refusals: [404, 409, 422],
  run: async ({ ports, tenantId, params, body }) => customerView(await updateCustomer(ports, tenantId, params.id!, body)),
});

export const CUSTOMER_ROUTES: Route[] = [
  route({
    method: 'POST',
    path: '/customers',
    summary: 'Register a customer',
    tag: 'customers',
    status: 201,
    body: CustomerCreate,
    response: Customer,
    refusals: [409, 422],
    idempotent: true,
    run: async ({ ports, tenantId, body, idempotency }) => customerView(await createCustomer(ports, tenantId, body, idempotency)),
  }),
  route({
    method: 'GET',
    path: '/customers',
    summary: 'List customers by name',
    tag: 'customers',
    status: 200,
    query: CustomerQuery,
    response: pageOf(Customer),
    refusals: [422],
    run: async ({ ports, tenantId, query }) => {
      const page = await listCustomers(ports, tenantId, query);
      return { ...page, items: page.items.map(customerView) };
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}',
    summary: 'Read a customer',
    tag: 'customers',
    status: 200,
    response: Customer,
    refusals: [404],
    run: async ({ ports, tenantId, params }) => customerView(await getCustomer(ports, tenantId, params.id!)),
  }),
  putCustomer,
  mergePatchRoute(putCustomer, {
    summary: 'Change some fields of a customer (merge patch); the rest stays',
    schema: CustomerPatch,
    item: 'the customer',
    stored: async ({ ports, tenantId, params }) => customerInput(await getCustomer(ports, tenantId, params.id!)),
  }),
  route({
    method: 'DELETE',
    path: '/customers/{id}',
    summary: 'Delete a customer without tasks',
    tag: 'customers',
    status: 204,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => deleteCustomer(ports, tenantId, params.id!),
  }),
];
