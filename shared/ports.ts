import type { Customer, Page, Settings, Task, TaskQuery } from './domain/model.ts';

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

/** Seals a secret for storage and opens it again; `context` binds it to its owner. */
export interface SecretSealer {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

/**
 * Persistence. Writes are single-item and conditional: `put*` with `expectedVersion`
 * undefined creates (and fails with ConflictError if the id exists); with a number it
 * replaces only that version (else ConflictError).
 */
export interface Store {
  getSettings(tenantId: string): Promise<Settings | undefined>;
  putSettings(tenantId: string, settings: Settings, expectedVersion: number): Promise<void>;

  getCustomer(tenantId: string, id: string): Promise<Customer | undefined>;
  listCustomers(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Customer>>;
  putCustomer(tenantId: string, customer: Customer, expectedVersion?: number): Promise<void>;
  deleteCustomer(tenantId: string, id: string): Promise<void>;
  customerHasTasks(tenantId: string, customerId: string): Promise<boolean>;

  getTask(tenantId: string, id: string): Promise<Task | undefined>;
  queryTasks(tenantId: string, query: TaskQuery): Promise<Page<Task>>;
  putTask(tenantId: string, task: Task, expectedVersion?: number): Promise<void>;
  deleteTask(tenantId: string, id: string): Promise<void>;
}

export interface Ports {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  sealer: SecretSealer;
  limits: { smsMaxSegments: number };
}
