import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const settingsBody = (overrides: Record<string, unknown> = {}) => ({
  firm: { name: 'Tall og Tid Regnskap AS', email: 'post@tallogtid.example', phone: '+47 22 33 44 55' },
  timeZone: 'Europe/Oslo',
  emailSender: { from: 'varsel@tallogtid.example', displayName: 'Tall og Tid' },
  smsAccount: { username: 'tallogtid', password: 's3cret-Passw0rd' },
  smsSender: 'TallOgTid',
  smsSenderActivated: false,
  version: 0,
  ...overrides,
});

describe('settings', () => {
  let api: ApiClient;
  beforeAll(async () => {
    api = await stack.as('firm-settings');
  });

  it('has defaults before the first save: Europe/Oslo, version 0, no password', async () => {
    const res = await (await stack.as('firm-fresh')).get('/settings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'Europe/Oslo', version: 0, smsSenderActivated: false, smsAccount: { passwordSet: false } });
  });

  it("tells the default SMS sender (the service's configuration), read-only: PUT and PATCH refuse it", async () => {
    const fresh = await stack.as('firm-default-sender');
    const read = await fresh.get('/settings');
    expect(read.body.smsDefaultSender).toBe(stack.sendingPorts.sending.smsDefaultSender);
    const put = await fresh.put('/settings', settingsBody({ smsDefaultSender: 'Mine' }));
    expect(put.status).toBe(422);
    expect(fieldRules(put.body)).toContain('smsDefaultSender unknown-field');
    const saved = await fresh.put('/settings', settingsBody());
    expect(saved.body.smsDefaultSender).toBe(read.body.smsDefaultSender);
  });

  it('saves the settings and never returns the SMS password', async () => {
    const res = await api.put('/settings', settingsBody());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, smsAccount: { username: 'tallogtid', passwordSet: true }, smsSender: 'TallOgTid' });
    const read = await api.get('/settings');
    expect(JSON.stringify(read.body)).not.toContain('s3cret-Passw0rd');
    expect(read.body.smsAccount).toEqual({ username: 'tallogtid', passwordSet: true });
  });

  it("keeps the password in the secret store under the tenant's name, never in the table", async () => {
    const stored = await stack.ports.store.getSettings('firm-settings');
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    expect(stored?.smsPassword?.name).toBe('frist/local/tenants/firm-settings/sms-password');
    // Read as dispatch reads it: only dispatch may read tenant secrets.
    expect(await stack.sendingPorts.secrets.get(stored!.smsPassword!)).toBe('s3cret-Passw0rd');
  });

  it('writes a new secret version per new password and reads the version the settings name', async () => {
    const own = await stack.as('firm-rotate');
    const first = await own.put('/settings', settingsBody());
    const firstRef = (await stack.ports.store.getSettings('firm-rotate'))!.smsPassword!;
    await own.put('/settings', settingsBody({ smsAccount: { username: 'tallogtid', password: 'second' }, version: first.body.version }));
    const secondRef = (await stack.ports.store.getSettings('firm-rotate'))!.smsPassword!;
    expect(secondRef.versionId).not.toBe(firstRef.versionId);
    expect(await stack.sendingPorts.secrets.get(firstRef)).toBe('s3cret-Passw0rd');
    expect(await stack.sendingPorts.secrets.get(secondRef)).toBe('second');
  });

  it('keeps the stored password when an update omits it, and removes it on null', async () => {
    const current = (await api.get('/settings')).body;
    const kept = await api.put('/settings', settingsBody({ smsAccount: { username: 'tallogtid' }, version: current.version }));
    expect(kept.body.smsAccount.passwordSet).toBe(true);
    const removed = await api.put('/settings', settingsBody({ smsAccount: { username: 'tallogtid', password: null }, version: kept.body.version }));
    expect(removed.body.smsAccount.passwordSet).toBe(false);
  });

  it('writes a phone-number sender in E.164', async () => {
    const own = await stack.as('firm-phone-sender');
    const res = await own.put('/settings', settingsBody({ smsSender: '912 34 567' }));
    expect(res.body.smsSender).toBe('+4791234567');
  });

  it('refuses a stale version with 409', async () => {
    const own = await stack.as('firm-stale-settings');
    expect((await own.put('/settings', settingsBody())).status).toBe(200);
    const stale = await own.put('/settings', settingsBody({ firm: { name: 'Other' } }));
    expect(stale.status).toBe(409);
    expect((await own.get('/settings')).body.firm.name).toBe('Tall og Tid Regnskap AS');
  });

  it.each([
    [{ smsSender: 'Tall og Tid AS' }, 'smsSender sms-sender'],
    [{ smsSender: 'Tall&Tid' }, 'smsSender sms-sender'],
    [{ timeZone: 'Europe/Bergen' }, 'timeZone time-zone'],
    [{ emailSender: { from: 'nope' } }, 'emailSender.from email'],
    [{ firm: { name: 'X', fax: '1' } }, 'firm.fax unknown-field'],
    [{ smsAccount: { username: 'u', password: '' } }, 'smsAccount.password min-length'],
    [{ version: -1 }, 'version min'],
  ])('refuses %j naming the field and rule', async (overrides, expected) => {
    const res = await api.put('/settings', settingsBody(overrides));
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toContain(expected);
  });
});

describe("the SMS-pumping guard's settings", () => {
  it('are Norway only, 500 a day and 5 an hour to one number until the firm sets its own', async () => {
    const res = await (await stack.as('firm-guard-fresh')).get('/settings');
    expect(res.body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 5 });
  });

  it('store country codes upper case, and a patch of one cap keeps the rest (a raise waits: test/integration/sms-limit-raise.test.ts)', async () => {
    const api = await stack.as('firm-guard');
    const put = await api.put('/settings', settingsBody({ smsLimits: { allowedCountries: ['no', 'se'], perNumberPerHour: 3 } }));
    expect(put.status).toBe(200);
    expect(put.body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 3 });
    expect(put.body.smsLimitsPending).toMatchObject({ allowedCountries: ['NO', 'SE'], perDay: 500, perNumberPerHour: 3 });
    const patched = await api.patch('/settings', { smsLimits: { perDay: 1000 }, version: put.body.version });
    expect(patched.body.smsLimitsPending).toMatchObject({ allowedCountries: ['NO', 'SE'], perDay: 1000, perNumberPerHour: 3 });
    const reset = await api.patch('/settings', { smsLimits: null, version: patched.body.version });
    expect(reset.body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 3 });
    expect(reset.body.smsLimitsPending).toMatchObject({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 5 });
  });

  it('refuse an unknown country, a country named twice, caps out of range and a 40,000-character code, naming each field and rule', async () => {
    const api = await stack.as('firm-guard-bad');
    const res = await api.put('/settings', settingsBody({ smsLimits: { allowedCountries: ['XX', 'NO', 'no', 'NOR'], perDay: 0, perNumberPerHour: 101 } }));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldRules(res.body).sort()).toEqual(
      [
        'smsLimits.allowedCountries unique',
        'smsLimits.allowedCountries.0 country-code',
        'smsLimits.allowedCountries.3 country-code',
        'smsLimits.allowedCountries.3 max-length',
        'smsLimits.perDay min',
        'smsLimits.perNumberPerHour max',
      ].sort(),
    );
    const long = await api.put('/settings', settingsBody({ smsLimits: { allowedCountries: ['N'.repeat(40_000)] } }));
    expect(long.status).toBe(422);
    expect(fieldRules(long.body)).toContain('smsLimits.allowedCountries.0 max-length');
    const twice = await api.put('/settings', settingsBody({ smsLimits: { allowedCountries: ['NO', 'no'] } }));
    expect(fieldRules(twice.body)).toEqual(['smsLimits.allowedCountries unique']);
    expect((await api.get('/settings')).body.version).toBe(0);
  });
});
