import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../local/demo-seed.ts';
import { smsReference } from '../../shared/domain/sms-reference.ts';
import { expectAccessible, screenshot, signIn, startWebStack, timeShown, type WebStack } from './web-stack.ts';

/**
 * The task page on the demo firm (its clock at 2027-01-04 09:00 in Oslo; the browser in New
 * York): create from the register, edit, complete / reopen, delete, the plan and the delivery
 * log, and what a user meets when a save is refused. Changes "by someone else" go through the API.
 */
let s: WebStack;
let token: string;
beforeAll(async () => {
  s = await startWebStack();
  token = await s.stack.token(DEMO_TENANT);
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${s.stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
interface TaskBody {
  id: string;
  title: string;
  version: number;
  deadline?: string;
  responsible?: string;
}
const taskNamed = async (title: string) => (await api<{ items: TaskBody[] }>('GET', '/tasks?limit=100')).items.find((t) => t.title === title)!;

async function openTask(page: Page, id: string, tab?: string) {
  await signIn(page, s.web.appUrl, undefined, `/tasks/${id}${tab ? `?tab=${tab}` : ''}`);
  await page.getByRole('tab', { name: 'Detaljer' }).waitFor();
}
const cellTexts = (page: Page) =>
  page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
/** Polls long enough for a reload, a sign-in or a re-read of the plan. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
const focusedText = (page: Page) =>
  page.evaluate(() => (document.activeElement?.textContent || document.activeElement?.getAttribute('aria-label') || '').trim());

describe('the task page', () => {
  it('creates a task from the register: a too-long title is stopped in the browser, the deadline goes out with the zone offset', async () => {
    // An English browser (the app in bokmål): a native date input would show mm/dd/yyyy and 02:00 PM here.
    const page = await s.newPage({ locale: 'en-US' });
    await signIn(page, s.web.appUrl);
    await page.getByRole('link', { name: 'Ny oppgave' }).click();
    await page.getByRole('heading', { name: 'Ny oppgave', level: 1 }).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Tittel').fill('x'.repeat(201));
    await page.getByText('Er for lang.').waitFor();
    expect(await page.getByLabel('Tittel').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByText('Må fylles ut.').waitFor(); // no customer chosen
    await expectAccessible(page);

    await page.getByLabel('Tittel').fill('Lønn for februar');
    await page.getByRole('combobox', { name: 'Kunde' }).fill('Fjord');
    await page.getByRole('option', { name: 'Fjord Bakeri AS' }).click();
    // Typed as staff write them, whatever the browser's language: dd.mm.yyyy, 24-hour.
    await page.getByLabel('Fristdato', { exact: true }).pressSequentially('01.03.2027');
    await page.getByLabel('Klokkeslett, timer', { exact: true }).click();
    await page.keyboard.type('1400');
    await page.getByLabel('Ansvarlig').fill('Kari Nordmann');
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByRole('heading', { name: 'Lønn for februar', level: 1 }).waitFor();
    await page.getByText('Oppgaven er opprettet.').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    // 14:00 in Oslo on 1 March (winter time): +01:00, whatever the browser's zone.
    expect((await api<TaskBody>('GET', `/tasks/${id}`)).deadline).toBe('2027-03-01T14:00:00+01:00');
    expect(await page.getByLabel('Fristdato', { exact: true }).inputValue()).toBe('01.03.2027');
    expect(await timeShown(page, 'Klokkeslett')).toBe('14:00');

    // A summer date: the offset follows the zone (DST).
    await page.getByLabel('Fristdato', { exact: true }).fill('01.06.2027');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Endringene er lagret.').waitFor();
    expect((await api<TaskBody>('GET', `/tasks/${id}`)).deadline).toBe('2027-06-01T14:00:00+02:00');
  });

  it('edits the deadline and the plan moves; complete stops what is left, reopen plans it again', async () => {
    const page = await s.newPage();
    const task = await taskNamed('MVA-melding 6. termin');
    await openTask(page, task.id, 'plan');
    await page.getByRole('table').waitFor();
    const rows = await cellTexts(page);
    expect(rows[0]).toEqual(['27.01.2027 09:00', 'Varsel 1: 7 dager før fristen', 'E-post', 'Planlagt', 'Ikke behandlet ennå']);
    expect(rows.map((row) => row[0])).toEqual(['27.01.2027 09:00', '04.02.2027 09:00', '11.02.2027 09:00', '18.02.2027 09:00']);
    await expectAccessible(page);
    await screenshot(page, 'task-plan.png');

    await page.getByRole('tab', { name: 'Detaljer' }).click();
    expect(new URL(page.url()).searchParams.has('tab')).toBe(false);
    // The notices need a deadline: emptying it is refused at the date, in the browser.
    expect(await page.getByLabel('Fristdato', { exact: true }).inputValue()).toBe('03.02.2027');
    await page.getByLabel('Fristdato', { exact: true }).fill('');
    await page.getByLabel('Fristdato', { exact: true }).blur();
    await page.getByText('Varsler krever at oppgaven har en frist.').waitFor();
    // A date that does not exist stays as typed, is said to be none, and is not saved.
    await page.getByLabel('Fristdato', { exact: true }).pressSequentially('31.02.2027');
    await page.getByLabel('Fristdato', { exact: true }).blur();
    await page.getByText('Ikke en dato. Skriv dd.mm.åååå, for eksempel 10.02.2027.').waitFor();
    expect(await page.getByLabel('Fristdato', { exact: true }).inputValue()).toBe('31.02.2027');
    expect(await page.getByLabel('Fristdato', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Ikke en dato. Skriv dd.mm.åååå, for eksempel 10.02.2027.').waitFor();
    expect((await api<TaskBody>('GET', `/tasks/${task.id}`)).deadline).toBe('2027-02-03');
    await expectAccessible(page);
    await page.getByLabel('Fristdato', { exact: true }).fill('');
    await page.getByLabel('Fristdato', { exact: true }).pressSequentially('10.02.2027');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Endringene er lagret.').waitFor();
    expect(await page.getByLabel('Fristdato', { exact: true }).inputValue()).toBe('10.02.2027');
    await page.getByRole('tab', { name: 'Plan' }).click();
    await poll(async () => (await cellTexts(page))[0]?.[0]).toBe('03.02.2027 09:00');
    // The notices were not part of the patch: both are still there.
    await page.getByRole('tab', { name: 'Varsler' }).click();
    await page.getByRole('button', { name: 'Endre varsel 2' }).waitFor();

    await page.getByRole('tab', { name: 'Detaljer' }).click();
    await page.getByRole('button', { name: 'Fullfør' }).click();
    await page.getByText('Oppgaven er fullført.', { exact: false }).waitFor();
    // The button pressed is gone (Gjenåpne took its place): the keyboard continues from the answer.
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('save-outcome');
    await page.getByRole('button', { name: 'Gjenåpne' }).waitFor();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await poll(async () => (await cellTexts(page)).map((row) => row[3])).toEqual(['Stoppet', 'Stoppet', 'Stoppet', 'Stoppet']);
    await page.reload();
    await poll(async () => (await cellTexts(page)).map((row) => row[3])).toEqual(['Stoppet', 'Stoppet', 'Stoppet', 'Stoppet']);

    await page.getByRole('tab', { name: 'Detaljer' }).click();
    await page.getByRole('button', { name: 'Gjenåpne' }).click();
    await page.getByText('Oppgaven er gjenåpnet.', { exact: false }).waitFor();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await poll(async () => (await cellTexts(page)).map((row) => row[3])).toEqual(['Planlagt', 'Planlagt', 'Planlagt', 'Planlagt']);
  });

  it('a change made elsewhere meanwhile: 409, the conflict alert, reload shows the latest; a lost connection is said in words', async () => {
    const page = await s.newPage();
    const task = await taskNamed('Årsoppgjør');
    await openTask(page, task.id);
    await expectAccessible(page);
    await screenshot(page, 'task-details.png');
    await api('PATCH', `/tasks/${task.id}`, { title: 'Årsoppgjør 2026', version: task.version });

    await page.getByLabel('Ansvarlig').fill('Per Hansen');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Noen andre har endret dette').waitFor();
    await expectAccessible(page);
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('save-outcome');
    await page.getByRole('button', { name: 'Hent siste versjon' }).click();
    await page.getByRole('heading', { name: 'Årsoppgjør 2026', level: 1 }).waitFor();
    await poll(() => page.getByLabel('Tittel').inputValue()).toBe('Årsoppgjør 2026');
    expect(await page.getByLabel('Ansvarlig').inputValue()).toBe('');

    await page.getByLabel('Ansvarlig').fill('Per Hansen');
    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Fikk ikke kontakt med Frist.', { exact: false }).waitFor();
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Endringene er lagret.').waitFor();
    expect((await api<TaskBody>('GET', `/tasks/${task.id}`)).responsible).toBe('Per Hansen');
  });

  it("shows a server-only rule at its field: a customer deleted meanwhile is refused with 'exists'; the save's warnings are said in words", async () => {
    const gone = await api<{ id: string }>('POST', '/customers', { name: 'Borte AS', email: 'post@borte.example' });
    const page = await s.newPage();
    const task = await taskNamed('Lønn for februar');
    await openTask(page, task.id);
    await page.getByRole('combobox', { name: 'Kunde' }).fill('Borte');
    await page.getByRole('option', { name: 'Borte AS' }).click();
    await api('DELETE', `/customers/${gone.id}`);
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Finnes ikke.').waitFor();
    expect(await page.getByRole('combobox', { name: 'Kunde' }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    // A customer who opted out of SMS: the save is accepted, with the warning in words.
    const optedOut = await api<{ id: string }>('POST', '/customers', { name: 'Reservert AS', mobile: '91234000', optIn: { email: true, sms: false } });
    const withSms = await api<TaskBody>('POST', '/tasks', {
      title: 'Bilag for januar',
      customerId: optedOut.id,
      deadline: '2027-01-04T10:00:00+01:00',
      notices: [{ when: 'before', offset: 'PT30M', channels: ['sms'], message: 'Hei {{customer.name}}' }],
    });
    await page.goto(`${s.web.appUrl}/tasks/${withSms.id}`);
    await page.getByLabel('Ansvarlig').fill('Ola Nordmann');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Kunden har reservert seg mot denne kanalen: varselet hoppes over.').waitFor();
  });

  it('the plan shows a notice moved off 17 May and the Whitsun weekend, the original time and why', async () => {
    const customers = await api<{ items: { id: string }[] }>('GET', '/customers?limit=1');
    const task = await api<TaskBody>('POST', '/tasks', {
      title: 'Årsoppgjør mai',
      customerId: customers.items[0]!.id,
      deadline: '2027-05-18',
      notices: [{ when: 'before', offset: 'P1D', channels: ['email'], subject: 'Frist', message: 'Hei', sendOn: 'businessDays' }],
    });
    const page = await s.newPage();
    await openTask(page, task.id, 'plan');
    await page.getByRole('table').waitFor();
    expect((await cellTexts(page))[0]?.[0]).toBe(
      '14.05.2027 09:00Flyttet fra 17.05.2027 09:00: Grunnlovsdagen (17.05.2027), Første pinsedag (16.05.2027), helg (15.05.2027)',
    );
    await expectAccessible(page);
  });

  it('the delivery log: sent with a link to the copy, skipped and why; the plan shows what happened', async () => {
    // An SMS to a Swedish number, a country the firm does not allow (the default: Norway only).
    const abroad = await api<{ id: string }>('POST', '/customers', { name: 'Svensk AB', mobile: '+46701234567' });
    const toSweden = await api<TaskBody & { warnings: { code: string }[] }>('POST', '/tasks', {
      title: 'Bilag for Sverige',
      customerId: abroad.id,
      deadline: '2027-01-04T10:00:00+01:00',
      notices: [{ when: 'before', offset: 'PT30M', channels: ['sms'], message: 'Hej {{customer.name}}' }],
    });
    expect(toSweden.warnings.map((w) => w.code)).toEqual(['sms-country-not-allowed']);
    // Past the demo's first notices (09:01 and 09:02 in Oslo), the opted-out SMS and the one to Sweden at 09:30.
    s.setNow(new Date('2027-01-04T08:31:00Z'));
    await s.stack.runDue();
    const page = await s.newPage();
    const task = await taskNamed('Bilag for november');
    await openTask(page, task.id, 'deliveries');
    await page.getByRole('table').waitFor();
    const rows = await cellTexts(page);
    expect(rows).toContainEqual(['04.01.2027 09:01', 'E-post', 'Sendt', '', expect.stringMatching(/^04\.01\.2027 09:\d\d$/), '1', 'Vis kopi']);
    expect(rows).toContainEqual(['04.01.2027 09:01', 'SMS', 'Sendt', '', expect.stringMatching(/^04\.01\.2027 09:\d\d$/), '1', 'Vis kopi']);

    // The gateway reports the SMS delivered, through the firm's receipt URL; the log shows it.
    const { smsGateway } = await api<{ smsGateway: { receiptUrl: string } }>('GET', '/settings');
    const deliveries = await api<{ items: { id: string; channel: string; occurrenceAt: string }[] }>('GET', `/tasks/${task.id}/deliveries`);
    const smsDelivery = deliveries.items.find((d) => d.channel === 'sms' && d.occurrenceAt === '2027-01-04T08:01:00Z')!;
    const sms = s.stack.sms.sent.find((m) => m.reference === smsReference(smsDelivery.id))!;
    s.stack.sms.configureCallbacks(sms.username!, { receiptUrl: smsGateway.receiptUrl });
    expect(await s.stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    await page.reload();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toBe('Levert: Levert til mottakeren (04.01.2027 09:31)');
    const copy = page.getByRole('link', { name: /^Vis kopi av E-post sendt/ }).first();
    expect(await copy.getAttribute('href')).toMatch(/^\/documents\/[A-Za-z0-9_-]+$/);
    await expectAccessible(page);
    await screenshot(page, 'task-deliveries.png');

    await page.getByRole('tab', { name: 'Plan' }).click();
    await poll(async () => (await cellTexts(page))[0]?.[4]).toBe('E-post: SendtSMS: Sendt');
    await expectAccessible(page);

    const skipped = await taskNamed('Bilag for januar');
    await page.goto(`${s.web.appUrl}/tasks/${skipped.id}?tab=deliveries`);
    await page.getByRole('table').waitFor();
    expect((await cellTexts(page))[0]).toEqual(['04.01.2027 09:30', 'SMS', 'Hoppet over', 'Kunden har reservert seg mot denne kanalen.', '', '0', '']);
    await page.goto(`${s.web.appUrl}/tasks/${toSweden.id}?tab=deliveries`);
    await page.getByRole('table').waitFor();
    expect((await cellTexts(page))[0]).toEqual([
      '04.01.2027 09:30',
      'SMS',
      'Hoppet over',
      'Mobilnummeret er i et land firmaet ikke sender SMS til.',
      '',
      '0',
      '',
    ]);
    await expectAccessible(page);
    s.setNow(new Date('2027-01-04T08:00:00Z'));
  });

  it('works by keyboard alone: create, move between the tabs, delete with confirmation', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await page.getByRole('heading', { name: 'Oppgaver', level: 1 }).waitFor();
    const tabTo = async (matches: (text: string) => boolean, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if (matches(await focusedText(page))) return;
      }
      throw new Error(`Tab never reached it; last focused: ${await focusedText(page)}`);
    };
    await tabTo((text) => text === 'Ny oppgave');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ny oppgave', level: 1 }).waitFor();
    await page.getByLabel('Tittel').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(() => true, 1);
    while ((await page.evaluate(() => document.activeElement?.getAttribute('id'))) !== (await page.getByLabel('Tittel').getAttribute('id'))) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('Tastaturoppgave');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Øvre');
    await poll(() => page.getByRole('option').allTextContents()).toEqual(['Øvre Verksted ANS']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('combobox', { name: 'Kunde' }).inputValue()).toBe('Øvre Verksted ANS');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tastaturoppgave', level: 1 }).waitFor();

    await tabTo((text) => text === 'Detaljer');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await poll(() => new URL(page.url()).searchParams.get('tab')).toBe('plan');
    await page.getByText('Ingen varsler er planlagt for denne oppgaven.').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByText('Ingen utsendelser ennå.').waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Home');
    await poll(() => new URL(page.url()).searchParams.has('tab')).toBe(false);

    await tabTo((text) => text === 'Slett');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Slette oppgaven?' });
    await dialog.getByText('Oppgaven «Tastaturoppgave» slettes', { exact: false }).waitFor();
    await expectAccessible(page);
    expect(await focusedText(page)).toBe('Avbryt');
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await focusedText(page)).toBe('Slett');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Slett oppgaven');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Oppgaver', level: 1 }).waitFor();
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await poll(async () => (await api<{ items: TaskBody[] }>('GET', '/tasks?limit=100')).items.some((t) => t.title === 'Tastaturoppgave')).toBe(false);
    await poll(() => page.getByRole('link', { name: 'Tastaturoppgave' }).count()).toBe(0);
  });
});
