import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * Attack on issue 8: the document declares e-mail fields `format: email`, which a client's
 * validator (ajv-formats here) reads as RFC 5321/1034: a domain label does not end with a
 * hyphen. The service accepted `post@fjord-.no`, which the document calls invalid, and which
 * would then reach SES as a recipient or a sender.
 */
let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-email-format');
});
afterAll(() => stack.stop());

describe('an e-mail address the document calls invalid', () => {
  const address = 'post@fjord-.no';

  it('is invalid by the served document', async () => {
    const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, object> }> };
    };
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    expect(ajv.validate(doc.components.schemas.CustomerCreate!.properties.email!, address)).toBe(false);
  });

  it('is refused on a customer and in the settings', async () => {
    const customer = await api.post('/customers', { name: 'Fjord AS', email: address });
    expect(customer.status).toBe(422);
    expect(customer.body.errors).toEqual([expect.objectContaining({ field: 'email', rule: 'email' })]);
    const settings = await api.put('/settings', { firm: { email: address }, emailSender: { from: 'post@fjord.no', replyTo: address }, version: 0 });
    expect(settings.status).toBe(422);
    expect(settings.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['emailSender.replyTo', 'firm.email']);
  });

  it('still accepts the everyday forms', async () => {
    for (const email of ['post@fjord-bakeri.no', "o'neil@firma.no", 'a+b@x.io', 'A.B@SUB.FIRMA.NO']) {
      expect((await api.post('/customers', { name: 'Fjord AS', email })).status, email).toBe(201);
    }
  });
});
