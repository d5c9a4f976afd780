import type { Page } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { getSettings } from '../../shared/use-cases/settings.ts';
import { createTask } from '../../shared/use-cases/tasks.ts';
import { expectAccessible, screenshot, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * The settings screen on the real local stack: each section saves a merge patch of what it
 * changed. The stack's clock stands still, so a change of time zone waits in the jobs queue
 * until the test runs it (`stack.runDue()`).
 */
let s: WebStack;
beforeAll(async () => {
  s = await startWebStack();
  const { ports } = s.stack;
  const customer = await createCustomer(ports, 'zone-firm', { name: 'Sone Kunde AS', email: 'post@sone.example', optIn: { email: true, sms: false } });
  for (const month of ['03', '04', '05']) {
    await createTask(ports, 'zone-firm', {
      title: `Frist ${month}`,
      customerId: customer.id,
      deadline: `2027-${month}-10`,
      notices: [{ when: 'before', offset: 'P1D', channels: ['email'], subject: 'Frist', message: 'Hei {{customer.name}}' }],
    });
  }
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

const section = (page: Page, title: string) => page.getByRole('region', { name: title });
const stored = (tenant: string) => getSettings(s.stack.ports, tenant);

async function openSettings(tenant: string): Promise<Page> {
  const page = await s.newPage();
  await signIn(page, s.web.appUrl, tenant, '/settings');
  await page.getByRole('heading', { name: 'Innstillinger', level: 1 }).waitFor();
  await section(page, 'Firma').waitFor();
  return page;
}

async function patchThroughApi(tenant: string, body: Record<string, unknown>) {
  const response = await fetch(`${s.stack.apiUrl}/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${await s.token(tenant)}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { field: string; rule: string }[] } };
}

/** Presses Tab until the focused element is the one given (keyboard only), at most `max` times. */
async function tabTo(page: Page, target: ReturnType<Page['getByLabel']>, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error('never reached the element with Tab');
}

describe('the settings screen', () => {
  it('adds a webhook: a private address refused at its field, the secret shown once signs the test message; turned off, then deleted', async () => {
    const tenant = 'webhook-firm';
    await patchThroughApi(tenant, { firm: { name: 'Krokfirma AS' }, version: 0 });
    const page = await openSettings(tenant);
    const hooks = section(page, 'Webhooker til andre systemer');
    await hooks.getByText('Ingen webhooker ennå.').waitFor();
    const url = hooks.getByLabel('Adresse (https://)');
    await url.fill('https://10.0.0.1/crm');
    await hooks.getByRole('button', { name: 'Legg til' }).click();
    await hooks.getByText('Peker til en lokal, privat eller annen ikke-offentlig adresse.').waitFor();
    await expectAccessible(page);

    await url.fill(`${s.stack.webhookReceiverUrl}/crm`);
    await hooks.getByRole('checkbox', { name: 'customer.opted_out' }).check();
    await hooks.getByRole('button', { name: 'Legg til' }).click();
    const secret = await hooks.getByLabel('Nøkkel (whsec_…)').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const row = hooks.getByRole('article', { name: `${s.stack.webhookReceiverUrl}/crm` });
    await row.getByText('notice.sent, notice.failed, customer.opted_out').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'settings-webhooks.png');

    s.stack.webhookReceiver.clear();
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByText('En testmelding er sendt i bakgrunnen.').waitFor();
    await s.stack.runDue();
    const [received] = s.stack.webhookReceiver.received;
    const now = vi.spyOn(Date, 'now').mockReturnValue(Number(received!.headers['webhook-timestamp']) * 1000);
    try {
      expect(new StandardWebhook(secret).verify(received!.body, received!.headers as Record<string, string>)).toMatchObject({ type: 'webhook.ping' });
    } finally {
      now.mockRestore();
    }

    await row.getByRole('button', { name: 'Slå av' }).click();
    await row.getByText('Av', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Slett' }).click();
    await page.getByRole('dialog', { name: 'Slette webhooken?' }).getByRole('button', { name: 'Slett' }).click();
    await hooks.getByText('Ingen webhooker ennå.').waitFor();
    await expectAccessible(page);
  });

  it('shows the SMS gateway URLs to paste, makes new ones, and saves the opt-out line', async () => {
    const tenant = 'gateway-firm';
    await patchThroughApi(tenant, { firm: { name: 'Portfirma AS' }, version: 0 });
    const page = await openSettings(tenant);
    const gateway = section(page, 'SMS-leverandør: leveringsrapporter og STOPP');
    const receiptUrl = gateway.getByLabel('Adresse for leveringsrapporter');
    await receiptUrl.waitFor();
    const secret = (await stored(tenant)).gatewaySecret!;
    expect(await receiptUrl.inputValue()).toBe(`${s.stack.apiUrl}/sms-gateway/generic/${tenant}/${secret}/receipt`);
    expect(await gateway.getByLabel('Adresse for mottatte SMS (STOPP)').inputValue()).toBe(`${s.stack.apiUrl}/sms-gateway/generic/${tenant}/${secret}/inbound`);
    await expectAccessible(page);

    await gateway.getByRole('button', { name: 'Lag nye adresser' }).click();
    await gateway.getByText('Nye adresser er laget.', { exact: false }).waitFor();
    const rotated = (await stored(tenant)).gatewaySecret!;
    expect(rotated).not.toBe(secret);
    expect(await receiptUrl.inputValue()).toContain(rotated);

    await gateway.getByLabel('Avmeldingslinje sist i hver SMS').fill('Svar STOPP for å avslutte');
    await gateway.getByRole('button', { name: 'Lagre' }).click();
    await gateway.getByText('Lagret.').waitFor();
    expect((await stored(tenant)).smsOptOutLine).toBe('Svar STOPP for å avslutte');
    await expectAccessible(page);
  });

  it('sets up the SMS account and sender from an empty tenant; the 11-character rule shows as you type and the server agrees', async () => {
    const tenant = 'new-firm';
    const page = await openSettings(tenant);
    const sms = section(page, 'SMS-konto');
    const sender = section(page, 'SMS-avsender');
    await sms.getByText('Passord er ikke satt.').waitFor();
    await sender.getByText('Inntil avsenderen er aktivert, sendes SMS med avsender «Frist».').waitFor();
    await expectAccessible(page);

    await sms.getByLabel('Brukernavn').fill('tallogtid');
    await sms.getByLabel('Passord', { exact: true }).fill('hemmelig-1');
    await sms.getByRole('button', { name: 'Lagre' }).click();
    await sms.getByText('Passord er satt.').waitFor();
    await sms.getByText('Lagret.').waitFor();
    expect(await sms.getByLabel('Passord', { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain('hemmelig-1');

    // The rule as you type: 11 characters are fine, the 12th is refused at once, in the rule's words.
    const input = sender.getByLabel('Avsender', { exact: true });
    await input.pressSequentially('Tall og Tid');
    await sender.getByText('11 av 11 tegn brukt').waitFor();
    expect(await input.getAttribute('aria-invalid')).not.toBe('true');
    await input.pressSequentially(' AS');
    await sender.getByText('14 av 11 tegn brukt').waitFor();
    const ruleText = 'SMS-avsender må være 1–11 tegn (A–Z, a–z, 0–9, mellomrom) eller et telefonnummer.';
    await sender.getByText(ruleText).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    // The server refuses the same value for the same rule.
    const refused = await patchThroughApi(tenant, { smsSender: 'Tall og Tid AS', version: (await stored(tenant)).version });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'smsSender', rule: 'sms-sender' })]);

    await input.fill('TallOgTid');
    await sender.getByText('9 av 11 tegn brukt').waitFor();
    await sender.getByRole('button', { name: 'Lagre' }).click();
    await sender.getByText('Lagret.').waitFor();
    await sender.getByText('Inntil avsenderen er aktivert, sendes SMS med avsender «Frist».').waitFor();
    await sender.getByLabel('Avsenderen er aktivert hos SMS-leverandøren').check();
    await sender.getByRole('button', { name: 'Lagre' }).click();
    await sender.getByText('SMS sendes med avsender «TallOgTid».').waitFor();

    // Each section patched only its own settings.
    const saved = await stored(tenant);
    expect(saved).toMatchObject({ smsAccount: { username: 'tallogtid' }, smsSender: 'TallOgTid', smsSenderActivated: true, timeZone: 'Europe/Oslo', firm: {} });
    expect(saved.emailSender).toBeUndefined();
    expect(await s.stack.sendingPorts.secrets.get(saved.smsPassword!)).toBe('hemmelig-1');
    expect(await page.content()).not.toContain('hemmelig-1');
    await expectAccessible(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'settings.png');
  });

  it('sets, changes and removes the SMS password without ever showing it, then removes the account', async () => {
    const tenant = 'password-firm';
    const page = await openSettings(tenant);
    const sms = section(page, 'SMS-konto');
    await sms.getByLabel('Brukernavn').fill('konto');
    await sms.getByLabel('Passord', { exact: true }).fill('forste-passord');
    await sms.getByRole('button', { name: 'Lagre' }).click();
    await sms.getByText('Passord er satt.').waitFor();

    await sms.getByRole('button', { name: 'Endre passord' }).click();
    const fresh = sms.getByLabel('Nytt passord');
    await expect.poll(() => fresh.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await fresh.inputValue()).toBe('');
    expect(await fresh.getAttribute('type')).toBe('password');
    await fresh.fill('andre-passord');
    await sms.getByRole('button', { name: 'Lagre' }).click();
    await sms.getByText('Lagret.').waitFor();
    expect(await sms.getByLabel('Nytt passord').count()).toBe(0);
    const changed = await stored(tenant);
    expect(await s.stack.sendingPorts.secrets.get(changed.smsPassword!)).toBe('andre-passord');
    await expectAccessible(page);

    // Removing asks first; Avbryt keeps the password.
    await sms.getByRole('button', { name: 'Fjern passord' }).click();
    const confirmRemove = page.getByRole('dialog', { name: 'Fjerne passordet?' });
    await confirmRemove.getByRole('button', { name: 'Avbryt' }).click();
    await confirmRemove.waitFor({ state: 'hidden' });
    expect((await stored(tenant)).smsPassword).toBeDefined();
    await sms.getByRole('button', { name: 'Fjern passord' }).click();
    await expectAccessible(page);
    await confirmRemove.getByRole('button', { name: 'Fjern passordet' }).click();
    await sms.getByText('Passordet er fjernet.').waitFor();
    await sms.getByText('Passord er ikke satt.').waitFor();
    expect(await sms.getByLabel('Brukernavn').inputValue()).toBe('konto');
    expect((await stored(tenant)).smsPassword).toBeUndefined();

    await sms.getByRole('button', { name: 'Fjern SMS-konto' }).click();
    await page.getByRole('dialog', { name: 'Fjerne SMS-kontoen?' }).getByRole('button', { name: 'Fjern SMS-kontoen' }).click();
    await sms.getByText('SMS-kontoen er fjernet.').waitFor();
    expect(await sms.getByLabel('Brukernavn').inputValue()).toBe('');
    expect((await stored(tenant)).smsAccount).toBeUndefined();
    const html = await page.content();
    expect(html).not.toContain('forste-passord');
    expect(html).not.toContain('andre-passord');
  });

  it('changes the time zone and follows the re-plan of the open tasks until it is done', async () => {
    const page = await openSettings('zone-firm');
    const zone = section(page, 'Tidssone');
    const select = zone.getByRole('combobox', { name: 'Tidssone' });
    expect(await select.inputValue()).toBe('Europe/Oslo');
    await select.click();
    await select.fill('New_York');
    await page.getByRole('option', { name: 'America/New_York' }).click();
    await zone.getByRole('button', { name: 'Lagre' }).click();
    await zone.getByText('Lagret.').waitFor();
    await zone.getByText('Ny planlegging i America/New_York').waitFor();
    await zone.getByText('Venter på å starte …').waitFor();
    await expectAccessible(page);

    // The jobs queue runs the steps; the screen reads the progress again by itself.
    await s.stack.runDue();
    await expect.poll(() => zone.getByTestId('replan-state').textContent(), { timeout: 10_000 }).toMatch(/^Ferdig \d\d\.\d\d\.\d{4} \d\d:\d\d\.$/);
    expect(await zone.getByTestId('replan-counts').textContent()).toBe('3 åpne oppgaver planlagt på nytt, 0 feilet.');
    expect((await stored('zone-firm')).timeZone).toBe('America/New_York');
    await expectAccessible(page);
  });

  it('shows a field error from the server at its field, a 409 with a reload, and a lost connection', async () => {
    const tenant = 'conflict-firm';
    expect((await patchThroughApi(tenant, { firm: { name: 'Første AS', email: 'post@forste.example' }, version: 0 })).status).toBe(200);
    const page = await openSettings(tenant);

    // A reply-to without a sender address: the server's rule, at the sender address field.
    const email = section(page, 'E-postavsender');
    await email.getByText('Tom: svar går til firmaets e-post (post@forste.example).').waitFor();
    await email.getByLabel('Svar til').fill('svar@forste.example');
    await email.getByRole('button', { name: 'Lagre' }).click();
    await email.getByText('Må fylles ut.').waitFor();
    expect(await email.getByLabel('Avsenderadresse').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => email.getByLabel('Avsenderadresse').evaluate((element) => element === document.activeElement)).toBe(true);
    await expectAccessible(page);

    // Someone else saves first.
    const other = await patchThroughApi(tenant, { firm: { name: 'Andre AS' }, version: (await stored(tenant)).version });
    expect(other.status).toBe(200);
    const firm = section(page, 'Firma');
    await firm.getByLabel('Telefon').fill('22 33 44 55');
    await firm.getByRole('button', { name: 'Lagre' }).click();
    const reload = firm.getByRole('button', { name: 'Hent siste versjon' });
    await reload.waitFor();
    await expect.poll(() => reload.evaluate((element) => element === document.activeElement)).toBe(true);
    await expectAccessible(page);
    await reload.click();
    await expect.poll(() => firm.getByLabel('Firmanavn').inputValue()).toBe('Andre AS');
    expect(await firm.getByLabel('Telefon').inputValue()).toBe('');
    await firm.getByLabel('Telefon').fill('22 33 44 55');
    await firm.getByRole('button', { name: 'Lagre' }).click();
    await firm.getByText('Lagret.').waitFor();
    expect((await stored(tenant)).firm).toEqual({ name: 'Andre AS', email: 'post@forste.example', phone: '22 33 44 55' });

    // The connection is lost: the save fails in words, and works again once it is back.
    await page.context().setOffline(true);
    const sending = section(page, 'Sending');
    await sending.getByLabel('Send for sent inntil (timer)').fill('48');
    await sending.getByRole('button', { name: 'Lagre' }).click();
    await sending.getByText('Kunne ikke lagre. Prøv igjen.').waitFor();
    await page.context().setOffline(false);
    await sending.getByRole('button', { name: 'Lagre' }).click();
    await sending.getByText('Lagret.').waitFor();
    expect((await stored(tenant)).maxLatenessHours).toBe(48);

    // Business days, and quiet hours for SMS from 22:00 to 07:00.
    await sending.getByLabel('Sendedager').selectOption('businessDays');
    await sending.getByLabel('Fra, timer', { exact: true }).click();
    await page.keyboard.type('2200');
    await sending.getByLabel('Til, timer', { exact: true }).click();
    await page.keyboard.type('0700');
    await expectAccessible(page);
    await sending.getByRole('button', { name: 'Lagre' }).click();
    await sending.getByText('Lagret.').waitFor();
    expect(await stored(tenant)).toMatchObject({ sendOn: 'businessDays', quietHours: { enabled: true, start: '22:00', end: '07:00' }, maxLatenessHours: 48 });
    // Turned off, the times are kept for when they are turned on again.
    await sending.getByLabel('Stilletid for SMS').uncheck();
    await sending.getByRole('button', { name: 'Lagre' }).click();
    await sending.getByText('Lagret.').waitFor();
    expect((await stored(tenant)).quietHours).toEqual({ enabled: false, start: '22:00', end: '07:00' });
  });

  it('works by keyboard alone: fill the firm and the SMS sender, save with Enter, focus lands on what the save did', async () => {
    const tenant = 'keyboard-firm';
    const page = await openSettings(tenant);
    await page.getByRole('link', { name: 'Innstillinger' }).focus();
    const firm = section(page, 'Firma');
    await tabTo(page, firm.getByLabel('Firmanavn'));
    await page.keyboard.type('Tastatur AS');
    await page.keyboard.press('Tab');
    await page.keyboard.type('post@tastatur.example');
    await page.keyboard.press('Enter');
    await firm.getByText('Lagret.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Lagret.');

    const sender = section(page, 'SMS-avsender');
    await tabTo(page, sender.getByLabel('Avsender', { exact: true }));
    await page.keyboard.type('Tastatur');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await sender.getByText('SMS sendes med avsender «Tastatur».').waitFor();
    expect(await stored(tenant)).toMatchObject({
      firm: { name: 'Tastatur AS', email: 'post@tastatur.example' },
      smsSender: 'Tastatur',
      smsSenderActivated: true,
    });
  });

  it('sets the SMS limits: a country added from the list by its name, a cap refused as you type, the caps saved as a patch', async () => {
    const tenant = 'limits-firm';
    const page = await openSettings(tenant);
    const limits = section(page, 'SMS-grenser');
    await limits.getByText('Norge (NO)').waitFor();
    expect(await limits.getByLabel('SMS per døgn').inputValue()).toBe('500');
    expect(await limits.getByLabel('SMS til ett nummer per time').inputValue()).toBe('5');
    await expectAccessible(page);

    await limits.getByLabel('Land SMS kan sendes til').fill('Sveri');
    await page.getByRole('option', { name: 'Sverige (SE)' }).click();
    await limits.getByText('Sverige (SE)').waitFor();
    await limits.getByLabel('SMS til ett nummer per time').fill('101');
    await limits.getByRole('button', { name: 'Lagre' }).click();
    await limits.getByText('Er for høy.').waitFor();
    expect(await limits.getByLabel('SMS til ett nummer per time').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await limits.getByLabel('SMS til ett nummer per time').fill('3');
    await limits.getByLabel('SMS per døgn').fill('1000');
    await limits.getByRole('button', { name: 'Lagre' }).click();
    await limits.getByText('Lagret.').waitFor();
    // The lower cap at once; Sweden and the higher daily cap wait (the next test).
    const saved = await stored(tenant);
    expect(saved.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 3 });
    expect(saved.smsLimitsPending).toMatchObject({ allowedCountries: ['NO', 'SE'], perDay: 1000, perNumberPerHour: 3 });
  });

  it("shows a raise of the SMS limits waiting, when it takes effect and what holds until then, and cancels it; offers only the deployment's countries", async () => {
    const tenant = 'limits-raise';
    // The stack's clock stands at 04.01.2027 09:00 Oslo time: the raise takes effect a day later.
    expect((await patchThroughApi(tenant, { smsLimits: { allowedCountries: ['NO', 'DK'], perDay: 1500 }, version: 0 })).status).toBe(200);
    const page = await openSettings(tenant);
    const limits = section(page, 'SMS-grenser');
    await limits.getByText('En økning av grensene venter').waitFor();
    await limits.getByText('Grensene dere ba om, gjelder fra 05.01.2027 09:00.').waitFor();
    await limits.getByText('Til da gjelder: 500 SMS per døgn, 5 til ett nummer per time, land: NO.').waitFor();
    await limits.getByText('En økning venter 24 timer', { exact: false }).waitFor();
    // The form shows what the firm asked for; the caps' descriptions the ceiling.
    expect(await limits.getByLabel('SMS per døgn').inputValue()).toBe('1500');
    await limits.getByText('Danmark (DK)').waitFor();
    await limits.getByText('Høyst 2000 i denne installasjonen.', { exact: false }).first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'settings-sms-limits-raise.png');

    await limits.getByLabel('Land SMS kan sendes til').fill('Stor');
    await page.getByText('Ingen land passer').waitFor();
    await limits.getByLabel('Land SMS kan sendes til').fill('');

    await limits.getByRole('button', { name: 'Avbryt økningen' }).click();
    await limits.getByText('Økningen er avbrutt.').waitFor();
    expect(await limits.getByText('En økning av grensene venter').count()).toBe(0);
    expect(await limits.getByLabel('SMS per døgn').inputValue()).toBe('500');
    const saved = await stored(tenant);
    expect(saved.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 5 });
    expect(saved.smsLimitsPending).toBeUndefined();
  });
});
