import { describe, expect, it } from 'vitest';
import { DELIVERY_MEMBERS, Delivery } from '../../shared/domain/delivery.ts';
import { CUSTOMER_MEMBERS, Customer, TASK_STATUSES, TaskStatus } from '../../shared/domain/model.ts';

// The store reads these lists instead of the schemas' keys, so dispatch builds no domain schema.
describe('the lists of names beside the domain schemas', () => {
  it('name every member of their schema, in its order', () => {
    expect(CUSTOMER_MEMBERS).toEqual(Object.keys(Customer.shape));
    expect(DELIVERY_MEMBERS).toEqual(Object.keys(Delivery.shape));
    expect(TASK_STATUSES).toEqual(TaskStatus.options);
  });
});
