import i18next, { type TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerCreate } from '../../shared/api/customer.schemas.ts';
import { SettingsUpdate } from '../../shared/api/settings.schemas.ts';
import { schemaMessages } from '../../web/src/lib/forms/schema-errors.ts';
import { nb } from '../../web/src/lib/i18n/nb.ts';
import { fieldMessages } from '../../web/src/utils/field-errors.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

let t: TFunction;
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { nb: { translation: nb } }, lng: 'nb', interpolation: { escapeValue: false } });
  t = i18n.t;
  stack = await startTestStack();
  api = await stack.as('firm-form-parity');
});
afterAll(() => stack.stop());

describe('form validation in the browser', () => {
  it("refuses a field for the API's rule, in the catalogue's words", () => {
    const body = { name: 'Fjord AS', email: 'not-an-address', mobile: '123', optIn: { email: true, sms: true } };
    const { byField } = schemaMessages(CustomerCreate, body, t, ['name', 'email', 'mobile']);
    expect(byField).toEqual({ email: nb.rules.email, mobile: nb.rules['mobile-number'] });
  });

  it('passes a body the API accepts', () => {
    const { byField, other } = schemaMessages(SettingsUpdate, { smsSender: 'TallOgTid', version: 0 }, t, ['smsSender']);
    expect(byField).toEqual({});
    expect(other).toEqual([]);
  });

  it.each([
    ['a customer', '/customers', CustomerCreate, { name: ' ', email: 'x@', mobile: '+1', orgNumber: '123456789', extra: 1 }],
    ['the settings', '/settings', SettingsUpdate, { smsSender: 'Far too long a sender', firm: { email: 'nope' }, timeZone: 'Mars/Base', version: 0 }],
  ])('says exactly what the API says about %s', async (_what, path, schema, body) => {
    const fields = ['name', 'email', 'mobile', 'orgNumber', 'smsSender', 'firm.email', 'timeZone'];
    const inBrowser = schemaMessages(schema, body, t, fields);
    const res = path === '/settings' ? await api.put(path, body) : await api.post(path, body);
    expect(res.status).toBe(422);
    const fromServer = fieldMessages(res.body.errors, t, fields);
    expect(inBrowser).toEqual(fromServer);
    expect(Object.keys(inBrowser.byField).length + inBrowser.other.length).toBeGreaterThan(2);
  });
});
