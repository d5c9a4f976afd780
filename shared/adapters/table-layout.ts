/**
 * The single table's layout, shared by the store adapter, the local stack (CreateTable) and
 * the CDK stack, so the three cannot drift apart.
 *
 * | item      | pk        | sk           | gsi1 (register)       | gsi2 (by customer)       | gsi3 (by status)          |
 * |-----------|-----------|--------------|-----------------------|--------------------------|---------------------------|
 * | settings  | T#tenant  | SETTINGS     |                       |                          |                           |
 * | customer  | T#tenant  | C#id         |                       |                          |                           |
 * | task      | T#tenant  | K#id         | T#tenant#TASKS        | T#tenant#C#customerId    | T#tenant#S#status         |
 *
 * The three task indexes share one sort key, `deadlineKey#taskId`, where deadlineKey is the
 * deadline's date (and wall-clock time as written), or `~` for no deadline, which sorts
 * after every date.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    register: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    byCustomer: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    byStatus: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
} as const;

export const NO_DEADLINE_KEY = '~';

export const keys = {
  tenant: (tenantId: string) => `T#${tenantId}`,
  settings: () => 'SETTINGS',
  customer: (id: string) => `C#${id}`,
  task: (id: string) => `K#${id}`,
  register: (tenantId: string) => `T#${tenantId}#TASKS`,
  byCustomer: (tenantId: string, customerId: string) => `T#${tenantId}#C#${customerId}`,
  byStatus: (tenantId: string, status: string) => `T#${tenantId}#S#${status}`,
  /** `2027-02-10` or `2027-02-10T14:00` (the wall clock as written, offset dropped). */
  deadline: (deadline: string | undefined) => (deadline ? deadline.slice(0, 16) : NO_DEADLINE_KEY),
};
