import type { Customer, Settings } from '../domain/model.ts';
import type { SendingPorts } from '../ports.ts';
import { getSettings } from './settings.ts';

/**
 * The reads the messages of one dispatch batch share: a firm's settings and its customers,
 * each read once per batch however many of the batch's notices concern them. The batch's
 * messages run side by side, so one read serves them as well as a read each would, at the
 * same moment. Only the reads before the claims: what must be read again after them (the task,
 * an SMS customer's opt-in) is read afresh by each notice (dispatch-notice.ts).
 */
export interface BatchReads {
  settings(tenantId: string): Promise<Settings>;
  customer(tenantId: string, customerId: string): Promise<Customer | undefined>;
}

/** Reads for one batch (a new one per invocation); a read that failed is tried again by the next notice. */
export function batchReads(ports: Pick<SendingPorts, 'store'>): BatchReads {
  const reads = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let pending = reads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      reads.set(key, pending);
      pending.catch(() => reads.delete(key));
    }
    return pending;
  };
  return {
    settings: (tenantId) => once(`settings ${tenantId}`, () => getSettings(ports, tenantId)),
    customer: (tenantId, customerId) => once(`customer ${tenantId} ${customerId}`, () => ports.store.getCustomer(tenantId, customerId)),
  };
}
