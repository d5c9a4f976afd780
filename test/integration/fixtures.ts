import { expect } from 'vitest';
import { DeliveryError } from '../../shared/errors.ts';
import type { SmsMessage } from '../../shared/ports.ts';
import type { ApiClient } from './harness.ts';

export const customerBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Fjord Bakeri AS',
  email: 'post@fjordbakeri.example',
  mobile: '91234567',
  ...overrides,
});

export const emailNotice = (overrides: Record<string, unknown> = {}) => ({
  when: 'before',
  offset: 'P3D',
  channels: ['email'],
  subject: 'Frist {{task.deadline}}',
  message: 'Hei {{customer.name}}, husk {{task.title}}.',
  ...overrides,
});

export async function createCustomer(api: ApiClient, overrides: Record<string, unknown> = {}) {
  const response = await api.post('/customers', customerBody(overrides));
  if (response.status !== 201) throw new Error(`customer not created: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; version: number } & Record<string, unknown>;
}

export async function createTask(api: ApiClient, customerId: string, overrides: Record<string, unknown> = {}) {
  const response = await api.post('/tasks', {
    title: 'MVA-melding',
    customerId,
    deadline: '2030-02-10',
    notices: [emailNotice()],
    ...overrides,
  });
  if (response.status !== 201) throw new Error(`task not created: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; version: number; notices: { id: string }[] } & Record<string, unknown>;
}

/** The `errors` entries of a problem+json body, as `field rule` strings. */
export function fieldRules(body: { errors?: { field: string; rule: string }[] }): string[] {
  return (body.errors ?? []).map((e) => `${e.field} ${e.rule}`);
}

/** An SMS as dispatch hands it to a gateway adapter. */
export const smsMessage: SmsMessage = {
  account: { username: 'firma', password: 'hemmelig' },
  from: 'TallOgTid',
  to: '+4791234567',
  text: 'Hei Åse, fristen er fredag.',
  reference: 'task-notice-20270201T080000Z-sms',
};

/** The DeliveryError a send failed with; the send must fail. */
export async function deliveryFailure(send: Promise<unknown>): Promise<DeliveryError> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}
