import { SettingsUpdate } from '../shared/api/settings.schemas.ts';
import type { Customer } from '../shared/domain/model.ts';
import type { Ports } from '../shared/ports.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { putSettings } from '../shared/use-cases/settings.ts';

/**
 * The benches' firm: its settings (the firm's name, and `settings` beside it) and `count`
 * customers with an e-mail address, made side by side, returned in their order.
 */
export async function benchFirm(ports: Ports, tenantId: string, count: number, settings: Record<string, unknown> = {}): Promise<Customer[]> {
  await putSettings(ports, tenantId, SettingsUpdate.parse({ firm: { name: 'Tall og Tid Regnskap AS' }, ...settings, version: 0 }));
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      createCustomer(ports, tenantId, { name: `Kunde ${i} AS`, email: `kunde${i}@example.no`, optIn: { email: true, sms: false } }),
    ),
  );
}
