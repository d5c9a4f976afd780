import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyHeader, expectAccessible, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * Issue 9's headline: a firm's day from an empty tenant, all through the UI in bokmål. Sign
 * in, set up the firm, the SMS account and sender; create a customer and a task with a before-
 * and an after-notice (texts from the merge-code overview); see the clock mark and the preview's
 * segment count; move the deadline and see the plan move; let the before-notice go out (the
 * stack's clock moves), check that the stand-ins received it with the codes filled in, open the
 * sent copies from the delivery log and from the document center; complete the task and see its
 * remaining occurrences stopped. The API is only read, for what the UI cannot show (the outbox).
 *
 * The stack's clock starts at 04.01.2027 09:00 in Oslo; the browser runs in New York.
 */
const TENANT = 'firm-day';
const FIRM = 'Fjellet Regnskap AS';
const CUSTOMER = { name: 'Solberg Snekkeri AS', email: 'post@solbergsnekkeri.example', mobile: '+4798765432' };
const TASK = 'MVA-melding 6. termin';
/** The before-notice's text (both channels) as the customer gets it, with the deadline it shows. */
const filled = (deadline: string) => `Hei ${CUSTOMER.name}! Fristen for ${TASK} er ${deadline}. Send oss bilagene. Hilsen ${FIRM}`;

let s: WebStack;
let page: Page;
let taskId = '';

beforeAll(async () => {
  s = await startWebStack();
  page = await s.newPage();
});
// One story: once a step fails, the steps after it would only fail for the same reason.
let failed = false;
afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});
beforeEach((context) => {
  if (failed) context.skip();
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

interface Outbox {
  emails: { from: string; to: string[]; subject: string; text?: string; at: string }[];
  sms: { from: string; to: string; text: string; at: string }[];
}
/** What the local SES and SMS stand-ins received (the local stack's `GET /_local/outbox`). */
async function outbox(): Promise<Outbox> {
  const response = await fetch(`${s.stack.apiUrl}/_local/outbox`);
  expect(response.status).toBe(200);
  return (await response.json()) as Outbox;
}
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
const cellTexts = (scope: Page | Locator) =>
  scope.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
const section = (title: string) => page.getByRole('region', { name: title });
/**
 * The overview inserts the code, then puts the cursor after it in the next frame: type from there
 * with the keyboard, as a user would. (Not `locator.pressSequentially`: it focuses the field
 * first, and when the page's document does not have the focus, Playwright then moves an
 * input's cursor to its start.)
 */
const cursorAtEnd = (field: Locator) =>
  poll(() =>
    field.evaluate(
      (el: HTMLInputElement | HTMLTextAreaElement) => document.activeElement === el && el.value.endsWith('}}') && el.selectionStart === el.value.length,
    ),
  ).toBe(true);
const focusedText = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return (el?.labels?.[0]?.textContent || el?.getAttribute('aria-label') || el?.textContent || '').trim();
  });
/** Presses Tab until the focused element's label or text matches: keyboard only. */
async function tabTo(matches: (text: string) => boolean, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (matches(await focusedText())) return;
  }
  throw new Error(`Tab never reached it; last focused: ${await focusedText()}`);
}
const code = (placeholder: string) => page.getByRole('button', { name: new RegExp(`^${placeholder.replace(/[{}.]/g, '\\$&')}`) });
const smsFigure = (name: string) =>
  page
    .getByTestId('sms-figures')
    .getByRole('row', { name: new RegExp(`^${name}`) })
    .getByRole('cell');
const planStates = async () => (await cellTexts(page)).map((row) => [row[0], row[3]]);

describe("a firm's day from an empty tenant", () => {
  it('signs in to an empty register and sets up the firm, the SMS account and the SMS sender', async () => {
    await signIn(page, s.web.appUrl, TENANT);
    await page.getByRole('heading', { name: 'Oppgaver', level: 1 }).waitFor();
    await page.getByText('Ingen oppgaver.').waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Innstillinger' }).click();
    await page.getByRole('heading', { name: 'Innstillinger', level: 1 }).waitFor();
    const firm = section('Firma');
    await firm.getByLabel('Firmanavn').fill(FIRM);
    await firm.getByLabel('E-post').fill('post@fjellet.example');
    await firm.getByLabel('E-post').press('Enter');
    await firm.getByText('Lagret.').waitFor();

    const sms = section('SMS-konto');
    await sms.getByText('Passord er ikke satt.').waitFor();
    await sms.getByLabel('Brukernavn').fill('fjellet');
    await sms.getByLabel('Passord', { exact: true }).fill('hemmelig-fjellet');
    await sms.getByRole('button', { name: 'Lagre' }).click();
    await sms.getByText('Passord er satt.').waitFor();

    const sender = section('SMS-avsender');
    await sender.getByLabel('Avsender', { exact: true }).pressSequentially('Fjellet');
    await sender.getByText('7 av 11 tegn brukt').waitFor();
    await sender.getByLabel('Avsenderen er aktivert hos SMS-leverandøren').check();
    await sender.getByRole('button', { name: 'Lagre' }).click();
    await sender.getByText('SMS sendes med avsender «Fjellet».').waitFor();
    await expectAccessible(page);
    await poll(() => page.getByTestId('firm-name').textContent()).toBe(FIRM);
    expect(await page.content()).not.toContain('hemmelig-fjellet');
  });

  it('creates a customer', async () => {
    await page.getByRole('link', { name: 'Kunder' }).click();
    await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Ny kunde' }).click();
    await page.getByRole('heading', { name: 'Ny kunde', level: 1 }).waitFor();
    await page.getByLabel('Navn').fill(CUSTOMER.name);
    await page.getByLabel('E-post', { exact: true }).fill(CUSTOMER.email);
    await page.getByLabel('Mobil').fill('987 65 432');
    expect(await page.getByRole('switch', { name: 'Varsel på e-post' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Varsel på SMS' }).isChecked()).toBe(true);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Opprett kunde' }).click();
    await page.getByRole('heading', { name: CUSTOMER.name, level: 1 }).waitFor();
    expect(await page.getByLabel('Mobil').inputValue()).toBe('987 65 432');
    await expectAccessible(page);
  });

  it('creates a task from the register, choosing the customer by keyboard', async () => {
    await page.getByRole('link', { name: 'Oppgaver' }).click();
    await page.getByRole('link', { name: 'Ny oppgave' }).click();
    await page.getByRole('heading', { name: 'Ny oppgave', level: 1 }).waitFor();
    await page.getByLabel('Tittel').fill(TASK);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Solb');
    await poll(() => page.getByRole('option').allTextContents()).toEqual([CUSTOMER.name]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('combobox', { name: 'Kunde' }).inputValue()).toBe(CUSTOMER.name);
    await page.getByLabel('Fristdato', { exact: true }).fill('12.01.2027');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByRole('heading', { name: TASK, level: 1 }).waitFor();
    await page.getByText('Oppgaven er opprettet.').waitFor();
    taskId = new URL(page.url()).pathname.split('/').pop()!;
    await expectAccessible(page);
  });

  it('adds a before- and an after-notice with the merge-code overview; the preview fills the codes in and counts the SMS segments', async () => {
    // The tabs move with the arrow keys.
    await page.getByRole('tab', { name: 'Detaljer' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'Varsler', level: 2 }).waitFor();
    await page.getByText('Oppgaven har ingen varsler.').waitFor();
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByRole('heading', { name: 'Nytt varsel' }).waitFor();

    // 3 days before, by e-mail and SMS.
    await page.getByLabel('Hvor lenge').fill('3');
    await page.getByRole('checkbox', { name: 'SMS' }).check();
    await page.getByLabel('Emne (e-post)').fill('Frist for ');
    await code('{{oppgave.tittel}}').click();
    await cursorAtEnd(page.getByLabel('Emne (e-post)'));
    await page.keyboard.type(' er ');
    await code('{{oppgave.frist}}').click();
    expect(await page.getByLabel('Emne (e-post)').inputValue()).toBe('Frist for {{oppgave.tittel}} er {{oppgave.frist}}');

    // The message: codes clicked in the overview, and one chosen by keyboard (Tab to it, Enter).
    const message = page.getByLabel('Melding');
    await message.fill('Hei ');
    await code('{{kunde.navn}}').click();
    await cursorAtEnd(message);
    await page.keyboard.type('! Fristen for ');
    await code('{{oppgave.tittel}}').click();
    await cursorAtEnd(message);
    await page.keyboard.type(' er ');
    await code('{{oppgave.frist}}').click();
    await cursorAtEnd(message);
    await page.keyboard.type('. Send oss bilagene. Hilsen ');
    await tabTo((text) => text.startsWith('{{firma.navn}}'));
    await page.keyboard.press('Enter');
    await poll(() => message.inputValue()).toBe(
      'Hei {{kunde.navn}}! Fristen for {{oppgave.tittel}} er {{oppgave.frist}}. Send oss bilagene. Hilsen {{firma.navn}}',
    );

    // The live preview for the task's customer: codes filled in, one GSM-7 segment.
    const text = filled('12.01.2027');
    await poll(() => page.getByTestId('preview-sms-text').textContent()).toBe(text);
    expect(await smsFigure('Koding').textContent()).toBe('GSM-7');
    expect(await smsFigure('Tegn').textContent()).toBe(String(text.length));
    expect(await smsFigure('SMS-deler').textContent()).toBe('1 av høyst 3');
    await page.getByTestId('preview-email').getByText(`Frist for ${TASK} er 12.01.2027`).waitFor();
    await expectAccessible(page);

    // Longer than 160 characters: two segments.
    await message.press('End');
    await message.pressSequentially(' Ring oss gjerne om noe er uklart, så hjelper vi dere med å bli ferdige i god tid før fristen går ut.');
    await poll(() => smsFigure('SMS-deler').textContent()).toBe('2 av høyst 3');
    await message.fill('Hei {{kunde.navn}}! Fristen for {{oppgave.tittel}} er {{oppgave.frist}}. Send oss bilagene. Hilsen {{firma.navn}}');
    await poll(() => smsFigure('SMS-deler').textContent()).toBe('1 av høyst 3');

    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Varslene er lagret.').waitFor();
    await page.getByRole('listitem').getByText('3 dager før fristen, kl. 09:00, e-post og SMS').waitFor();
    // The firm has an SMS account and an activated sender: no warning.
    expect(await page.getByText('Lagret, men merk').count()).toBe(0);

    // 1 day after, repeated twice a week apart, by e-mail and SMS.
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByRole('radio', { name: 'Etter fristen' }).check();
    await page.getByLabel('Hvor lenge').fill('1');
    await page.getByRole('checkbox', { name: 'SMS' }).check();
    await page.getByLabel('Emne (e-post)').fill('Vi mangler bilag');
    await page.getByLabel('Melding').focus();
    await code('{{kunde.navn}}').click();
    await cursorAtEnd(page.getByLabel('Melding'));
    await page.keyboard.type(': fristen for ');
    await code('{{oppgave.tittel}}').click();
    await cursorAtEnd(page.getByLabel('Melding'));
    await page.keyboard.type(' er passert.');
    await page.getByLabel('Gjenta varselet etter fristen').check();
    await page.getByLabel('Med dagers mellomrom').fill('7');
    await page.getByLabel('Antall ganger til').fill('2');
    await poll(() => page.getByTestId('preview-sms-text').textContent()).toBe(`${CUSTOMER.name}: fristen for ${TASK} er passert.`);
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByRole('listitem').getByText('1 dag etter fristen, kl. 09:00, e-post og SMS, gjentas 2 ganger, hver 7. dag').waitFor();
    await expectAccessible(page);
  });

  it('shows the clock mark and the next notice in the register', async () => {
    await page.getByRole('link', { name: 'Oppgaver' }).click();
    await page.getByRole('heading', { name: 'Oppgaver', level: 1 }).waitFor();
    await poll(() => cellTexts(page)).toEqual([[TASK, CUSTOMER.name, '12.01.2027', 'Åpen', 'Har varsel', '09.01.2027 09:00']]);
    await page
      .getByRole('row', { name: new RegExp(TASK) })
      .getByRole('img', { name: 'Har varsel' })
      .waitFor();
    await expectAccessible(page);
  });

  it('moves the deadline and the plan moves with it', async () => {
    await page.getByRole('link', { name: TASK }).click();
    await page.getByRole('heading', { name: TASK, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByRole('table').waitFor();
    await page.getByText('Tider i Europe/Oslo.').waitFor();
    expect(await cellTexts(page)).toEqual([
      ['09.01.2027 09:00', 'Varsel 1: 3 dager før fristen', 'E-post, SMS', 'Planlagt', 'Ikke behandlet ennå'],
      ['13.01.2027 09:00', 'Varsel 2: 1 dag etter fristen', 'E-post, SMS', 'Planlagt', 'Ikke behandlet ennå'],
      ['20.01.2027 09:00', 'Varsel 2: 1 dag etter fristen1. gjentakelse', 'E-post, SMS', 'Planlagt', 'Ikke behandlet ennå'],
      ['27.01.2027 09:00', 'Varsel 2: 1 dag etter fristen2. gjentakelse', 'E-post, SMS', 'Planlagt', 'Ikke behandlet ennå'],
    ]);
    await expectAccessible(page);

    await page.getByRole('tab', { name: 'Detaljer' }).click();
    await page.getByLabel('Fristdato', { exact: true }).fill('08.01.2027');
    await page.getByLabel('Fristdato', { exact: true }).press('Enter');
    await page.getByText('Endringene er lagret.').waitFor();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await poll(async () => (await cellTexts(page)).map((row) => row[0])).toEqual([
      '05.01.2027 09:00',
      '09.01.2027 09:00',
      '16.01.2027 09:00',
      '23.01.2027 09:00',
    ]);
    expect((await planStates()).map((row) => row[1])).toEqual(['Planlagt', 'Planlagt', 'Planlagt', 'Planlagt']);
    await expectAccessible(page);
  });

  it('lets the before-notice go out: the stand-ins receive the e-mail and the SMS with the codes filled in', async () => {
    const before = await outbox();
    // 05.01.2027 09:00 in Oslo, and a minute more.
    await s.runDueAt(new Date('2027-01-05T08:01:00Z'));
    const sent = await outbox();
    const emails = sent.emails.slice(before.emails.length).filter((e) => e.to.some((to) => to.includes(CUSTOMER.email)));
    const sms = sent.sms.slice(before.sms.length).filter((m) => m.to === CUSTOMER.mobile);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ subject: `Frist for ${TASK} er 08.01.2027`, from: expect.stringContaining(FIRM) });
    expect(emails[0]!.text).toContain(filled('08.01.2027'));
    expect(emails[0]!.text).not.toContain('{{');
    expect(sms).toEqual([expect.objectContaining({ from: 'Fjellet', to: CUSTOMER.mobile, text: filled('08.01.2027') })]);

    // The plan shows what happened to the occurrence (its state stays the plan's: made at the save, docs/api.md).
    await page.reload();
    await poll(async () => (await cellTexts(page))[0]?.[4]).toBe('E-post: SendtSMS: Sendt');
    expect((await cellTexts(page)).slice(1).map((row) => row[4])).toEqual(['Ikke behandlet ennå', 'Ikke behandlet ennå', 'Ikke behandlet ennå']);
    await expectAccessible(page);
  });

  it('opens the sent e-mail from the delivery log', async () => {
    await page.getByRole('tab', { name: 'Utsendelser' }).click();
    // The plan's table may still be on the page for a moment: wait for the log's rows.
    const sentAt = expect.stringMatching(/^05\.01\.2027 09:0\d$/);
    await poll(() => cellTexts(page)).toEqual([
      ['05.01.2027 09:00', 'E-post', 'Sendt', '', sentAt, '1', 'Vis kopi'],
      ['05.01.2027 09:00', 'SMS', 'Sendt', '', sentAt, '1', 'Vis kopi'],
      ...['09.01.2027', '16.01.2027', '23.01.2027'].flatMap((day) => [
        [`${day} 09:00`, 'E-post', 'Venter', '', '', '0', ''],
        [`${day} 09:00`, 'SMS', 'Venter', '', '', '0', ''],
      ]),
    ]);
    await expectAccessible(page);

    await page.getByRole('link', { name: /^Vis kopi av E-post sendt/ }).click();
    await page.getByRole('heading', { name: 'Sendt kopi', level: 1 }).waitFor();
    const header = (name: string) => copyHeader(page, name);
    await page.getByRole('rowheader', { name: 'Emne' }).waitFor();
    expect(await header('Til')).toBe(`${CUSTOMER.name} <${CUSTOMER.email}>`);
    expect(await header('Fra')).toContain(FIRM);
    expect(await header('Svar til')).toBe('post@fjellet.example');
    expect(await header('Emne')).toBe(`Frist for ${TASK} er 08.01.2027`);
    expect(await page.getByTestId('email-text').textContent()).toContain(filled('08.01.2027'));
    // The HTML part, in its sandboxed frame, has the codes filled in too.
    expect(await page.locator('iframe').getAttribute('sandbox')).toBe('');
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await poll(() => frame.locator('body').textContent()).toContain(`Hei ${CUSTOMER.name}!`);
    expect(await frame.locator('body').textContent()).not.toContain('{{');
    await expectAccessible(page, { skipFrames: true });
  });

  it('opens the sent SMS from the customer’s document center', async () => {
    await page.getByRole('link', { name: 'Kunder' }).click();
    await page.getByRole('link', { name: CUSTOMER.name }).click();
    await page.getByRole('heading', { name: CUSTOMER.name, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Dokumentsenter' }).click();
    await poll(() => page.locator('table tbody tr').count()).toBe(2);
    await poll(() => page.getByRole('link', { name: TASK }).count()).toBe(2);
    await expectAccessible(page);

    await page.getByRole('link', { name: /^Åpne kopien sendt 05\.01\.2027 09:0\d \(SMS\)$/ }).click();
    await page.getByRole('heading', { name: 'SMS', level: 2 }).waitFor();
    const record = await page
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]));
    expect(record.slice(0, 5)).toEqual([
      ['Avsender', 'Fjellet'],
      ['Mottaker', '987 65 432'],
      ['Tekst', filled('08.01.2027')],
      ['Tegnsett', 'GSM-7'],
      ['Antall deler', '1'],
    ]);
    await expectAccessible(page);
  });

  it('completes the task: the occurrences not yet sent are stopped', async () => {
    await page.goto(`${s.web.appUrl}/tasks/${taskId}`);
    await page.getByRole('heading', { name: TASK, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Fullfør' }).click();
    await page.getByText('Oppgaven er fullført. Varsler som ikke er sendt, er stoppet.').waitFor();
    await page.getByRole('button', { name: 'Gjenåpne' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('tab', { name: 'Plan' }).click();
    await poll(planStates).toEqual([
      ['05.01.2027 09:00', 'Passert'],
      ['09.01.2027 09:00', 'Stoppet'],
      ['16.01.2027 09:00', 'Stoppet'],
      ['23.01.2027 09:00', 'Stoppet'],
    ]);
    await expectAccessible(page);

    // The delivery log says why the waiting ones will not go out.
    await page.getByRole('tab', { name: 'Utsendelser' }).click();
    await poll(async () => (await cellTexts(page)).slice(2).map((row) => row.slice(2, 4))).toEqual(
      Array.from({ length: 6 }, () => ['Hoppet over', 'Oppgaven er fullført.']),
    );
    expect((await cellTexts(page)).slice(0, 2).map((row) => row[2])).toEqual(['Sendt', 'Sendt']);
    await expectAccessible(page);

    // Past the last occurrence: nothing more reaches the stand-ins.
    const before = await outbox();
    await s.runDueAt(new Date('2027-01-24T08:00:00Z'));
    const after = await outbox();
    expect(after.emails.slice(before.emails.length).filter((e) => e.to.some((to) => to.includes(CUSTOMER.email)))).toEqual([]);
    expect(after.sms.slice(before.sms.length).filter((m) => m.to === CUSTOMER.mobile)).toEqual([]);

    await page.getByRole('link', { name: 'Oppgaver' }).click();
    await poll(() => cellTexts(page)).toEqual([[TASK, CUSTOMER.name, '08.01.2027', 'Fullført', 'Har varsel', '–']]);
    await expectAccessible(page);
  });
});
