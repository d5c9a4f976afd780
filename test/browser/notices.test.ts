import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { createTask, getTask, updateTask } from '../../shared/use-cases/tasks.ts';
import { expectAccessible, screenshot, signIn, startWebStack, timeShown, type WebStack, putTestFirm } from './web-stack.ts';

/**
 * The notices editor (the task page's "Varsler" tab) on a firm without an SMS account, so an
 * SMS notice is saved with a warning. Its customers: one with e-mail and mobile, one with
 * e-mail only. The tasks have date-only deadlines and no responsible person.
 */
const TENANT = 'notices';
let s: WebStack;
const tasks: Record<'main' | 'rules' | 'conflict' | 'keyboard', string> = { main: '', rules: '', conflict: '', keyboard: '' };

beforeAll(async () => {
  s = await startWebStack();
  const { ports } = s.stack;
  await putTestFirm(ports, TENANT);
  const optIn = { email: true, sms: true };
  const bakery = await createCustomer(ports, TENANT, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example', mobile: '+4791234567', optIn });
  const garage = await createCustomer(ports, TENANT, { name: 'Øvre Verksted ANS', email: 'regnskap@ovreverksted.example', optIn });
  const task = (title: string, customerId: string) => createTask(ports, TENANT, { title, customerId, deadline: '2027-03-15', notices: [] });
  tasks.main = (await task('Årsregnskap 2026', bakery.id)).id;
  tasks.rules = (await task('MVA-melding 1. termin', garage.id)).id;
  tasks.conflict = (await task('Lønnsavstemming', bakery.id)).id;
  tasks.keyboard = (await task('Bilag for februar', bakery.id)).id;
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

async function openNotices(taskId: string): Promise<Page> {
  const page = await s.newPage();
  await signIn(page, s.web.appUrl, TENANT, `/tasks/${taskId}?tab=notices`);
  await page.getByRole('heading', { name: 'Varsler', level: 2 }).waitFor();
  return page;
}
const active = (page: Page) =>
  page.evaluate(() => ({ tag: document.activeElement?.tagName, value: (document.activeElement as HTMLInputElement | null)?.value }));
const smsFigure = (page: Page, name: string) =>
  page
    .getByTestId('sms-figures')
    .getByRole('row', { name: new RegExp(`^${name}`) })
    .getByRole('cell');
const code = (page: Page, placeholder: string) => page.getByRole('button', { name: new RegExp(`^${placeholder.replace(/[{}.]/g, '\\$&')}`) });

describe('the notices editor', () => {
  it('adds a before-notice by e-mail and SMS with merge codes from the overview, previews it live, and saves it with its warning', async () => {
    const page = await openNotices(tasks.main);
    await page.getByText('Oppgaven har ingen varsler.').waitFor();
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByRole('heading', { name: 'Nytt varsel' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Nytt varsel');

    await page.getByLabel('Hvor lenge').fill('3');
    await page.getByRole('checkbox', { name: 'SMS' }).check();
    await page.getByLabel('Emne (e-post)').fill('Frist for ');
    await code(page, '{{oppgave.tittel}}').click();
    expect(await page.getByLabel('Emne (e-post)').inputValue()).toBe('Frist for {{oppgave.tittel}}');

    // The cursor in the middle of the message: the code goes there, and the focus stays in the field.
    const message = page.getByLabel('Melding');
    await message.fill('Hei , fristen nærmer seg.');
    await message.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(4, 4));
    await code(page, '{{kunde.navn}}').click();
    expect(await message.inputValue()).toBe('Hei {{kunde.navn}}, fristen nærmer seg.');
    expect(await active(page)).toEqual({ tag: 'TEXTAREA', value: 'Hei {{kunde.navn}}, fristen nærmer seg.' });

    // The preview fills the codes in for the task's customer; a € costs two GSM-7 units.
    const smsText = page.getByTestId('preview-sms-text');
    await expect.poll(() => smsText.textContent(), { timeout: 10_000 }).toBe('Hei Fjord Bakeri AS, fristen nærmer seg.');
    expect(await smsFigure(page, 'Koding').textContent()).toBe('GSM-7');
    expect(await smsFigure(page, 'Enheter').textContent()).toBe('40');
    expect(await smsFigure(page, 'SMS-deler').textContent()).toBe('1 av høyst 3');
    await page.getByTestId('preview-email').getByText('Frist for Årsregnskap 2026').waitFor();
    await message.press('End');
    await message.pressSequentially(' 100 €');
    await expect.poll(() => smsFigure(page, 'Enheter').textContent(), { timeout: 10_000 }).toBe('47');
    expect(await smsFigure(page, 'Tegn').textContent()).toBe('46');
    expect(await smsFigure(page, 'Koding').textContent()).toBe('GSM-7');

    // The task has no responsible person: that code comes out empty, and the preview says so.
    await message.pressSequentially(' Ansvarlig: ');
    await code(page, '{{oppgave.ansvarlig}}').click();
    await page
      .getByTestId('preview-sms')
      .getByText('Disse flettekodene blir tomme for denne oppgaven og kunden: {{oppgave.ansvarlig}}')
      .waitFor({ timeout: 10_000 });
    await expectAccessible(page);
    await screenshot(page, 'task-notices.png');

    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Varslene er lagret.').waitFor();
    await page.getByText('Varsel 1: Firmaet har ingen SMS-konto med passord, så SMS-en vil feile. Legg inn kontoen under Innstillinger.').waitFor();
    await page.getByRole('listitem').getByText('3 dager før fristen, kl. 09:00, e-post og SMS').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Varsler');
    await expectAccessible(page);

    // An after-notice that repeats, its text from the overview alone.
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByRole('radio', { name: 'Etter fristen' }).check();
    await page.getByLabel('Hvor lenge').fill('2');
    // The send time (the deadline has none): 24-hour whatever the browser's language, typed as digits.
    expect(await timeShown(page, 'Sendes kl.')).toBe('09:00');
    await page.getByLabel('Sendes kl., timer', { exact: true }).click();
    await page.keyboard.type('1430');
    expect(await timeShown(page, 'Sendes kl.')).toBe('14:30');
    await page.getByLabel('Emne (e-post)').fill('Vi mangler bilag');
    await page.getByLabel('Melding').focus();
    await code(page, '{{kunde.navn}}').click();
    // The cursor lands after the code in the next frame: type from there, as a user would.
    await expect.poll(() => active(page)).toEqual({ tag: 'TEXTAREA', value: '{{kunde.navn}}' });
    await page.keyboard.type(': fristen er passert.');
    await page.getByLabel('Sendedager for dette varselet').selectOption('businessDays');
    await page.getByLabel('Gjenta varselet etter fristen').check();
    await page.getByLabel('Med dagers mellomrom').fill('7');
    await page.getByLabel('Antall ganger til').fill('2');
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByRole('listitem').getByText('2 dager etter fristen, kl. 14:30, e-post, gjentas 2 ganger, hver 7. dag').waitFor();

    const saved = await getTask(s.stack.ports, TENANT, tasks.main);
    expect(
      saved.notices.map(({ when, offset, channels, sendAt, sendOn, subject, message, repeat }) => ({
        when,
        offset,
        channels,
        sendAt,
        sendOn,
        subject,
        message,
        repeat,
      })),
    ).toEqual([
      {
        when: 'before',
        offset: 'P3D',
        channels: ['email', 'sms'],
        sendAt: '09:00',
        sendOn: undefined,
        subject: 'Frist for {{oppgave.tittel}}',
        message: 'Hei {{kunde.navn}}, fristen nærmer seg. 100 € Ansvarlig: {{oppgave.ansvarlig}}',
        repeat: undefined,
      },
      {
        when: 'after',
        offset: 'P2D',
        channels: ['email'],
        sendAt: '14:30',
        sendOn: 'businessDays',
        subject: 'Vi mangler bilag',
        message: '{{kunde.navn}}: fristen er passert.',
        repeat: { every: 7, times: 2 },
      },
    ]);

    // Editing keeps the notice's id; removing leaves the other.
    const [first, second] = saved.notices;
    await page.getByRole('button', { name: 'Endre varsel 1' }).click();
    await page.getByLabel('Hvor lenge').fill('5');
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByRole('listitem').getByText('5 dager før fristen, kl. 09:00, e-post og SMS').waitFor();
    // Removing asks first, naming the notice; Escape (the keyboard starts on Avbryt) keeps it.
    await page.getByRole('button', { name: 'Fjern varsel 2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fjerne varsel 2?' });
    await dialog.getByText('«2 dager etter fristen, kl. 14:30, e-post, gjentas 2 ganger, hver 7. dag» fjernes fra oppgaven.', { exact: false }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Avbryt');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await getTask(s.stack.ports, TENANT, tasks.main)).notices).toHaveLength(2);
    await page.getByRole('button', { name: 'Fjern varsel 2' }).click();
    await dialog.getByRole('button', { name: 'Fjern varselet' }).click();
    await page.getByText('Varselet er fjernet.').waitFor();
    const after = await getTask(s.stack.ports, TENANT, tasks.main);
    expect(after.notices.map((n) => [n.id, n.offset])).toEqual([[first!.id, 'P5D']]);
    expect(second!.id).not.toBe(first!.id);
  });

  it("refuses a notice for the API's rules at the fields they concern, in bokmål, before and after it is sent", async () => {
    const page = await openNotices(tasks.rules);
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByLabel('Emne (e-post)').fill('Purring');
    await page.getByLabel('Melding').fill('Hei {{kunde.navnet}}');
    await page.getByText('Ukjent flettekode {{kunde.navnet}}.').waitFor();
    await page.getByLabel('Melding').fill('Hei {{kunde.navn}}');

    // After a date-only deadline, less than a day is refused (after-date-only) at the offset.
    await page.getByRole('radio', { name: 'Etter fristen' }).check();
    await page.getByLabel('Hvor lenge').fill('0');
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Etter en frist uten klokkeslett må varselet komme minst én dag etter.').waitFor();
    expect(await page.getByLabel('Hvor lenge').getAttribute('aria-invalid')).toBe('true');

    // Only after-notices repeat (repeat-after-only).
    await page.getByLabel('Hvor lenge').fill('1');
    await page.getByRole('radio', { name: 'Før fristen' }).check();
    await page.getByLabel('Gjenta varselet etter fristen').check();
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Bare varsler etter fristen kan gjentas.').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Gjenta varselet etter fristen').uncheck();

    // The customer has no mobile number: only the server knows, and its error lands at the channels.
    await page.getByRole('checkbox', { name: 'SMS' }).check();
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Kunden mangler adresse for denne kanalen.').waitFor();
    expect((await getTask(s.stack.ports, TENANT, tasks.rules)).notices).toEqual([]);
  });

  it('shows a change saved meanwhile as a conflict, reloads, and saves again; a lost connection is said in words', async () => {
    const page = await openNotices(tasks.conflict);
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByLabel('Emne (e-post)').fill('Påminnelse');
    await page.getByLabel('Melding').fill('Hei {{kunde.navn}}');

    const { ports } = s.stack;
    const stored = await getTask(ports, TENANT, tasks.conflict);
    await updateTask(ports, TENANT, tasks.conflict, {
      title: 'Lønnsavstemming januar',
      customerId: stored.customerId,
      deadline: stored.deadline,
      notices: [],
      version: stored.version,
    });

    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Noen andre har endret dette').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Hent siste versjon' }).click();
    await page.getByText('Noen andre har endret dette').waitFor({ state: 'detached' });

    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Fikk ikke kontakt med Frist. Sjekk nettforbindelsen og prøv igjen.').waitFor();
    await page.context().setOffline(false);

    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Varslene er lagret.').waitFor();
    const saved = await getTask(ports, TENANT, tasks.conflict);
    expect([saved.title, saved.notices.length]).toEqual(['Lønnsavstemming januar', 1]);
  });

  it('works by keyboard alone: add a notice, insert a merge code with Enter, save', async () => {
    const page = await openNotices(tasks.keyboard);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return (el?.labels?.[0]?.textContent || el?.getAttribute('aria-label') || el?.textContent || '').trim();
      });
    const tabTo = async (matches: (text: string) => boolean, limit = 60) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if (matches(await focused())) return;
      }
      throw new Error(`Tab never reached it; last focused: ${await focused()}`);
    };

    await tabTo((text) => text === 'Legg til varsel');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Nytt varsel');
    await tabTo((text) => text === 'Hvor lenge');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await tabTo((text) => text === 'Emne (e-post)');
    await page.keyboard.type('Bilag');
    await tabTo((text) => text === 'Melding');
    await page.keyboard.type('Hei ');
    await tabTo((text) => text.startsWith('{{kunde.navn}}'));
    await page.keyboard.press('Enter');
    await expect.poll(() => active(page)).toEqual({ tag: 'TEXTAREA', value: 'Hei {{kunde.navn}}' });
    await page.keyboard.type(', send oss bilagene.');
    await tabTo((text) => text === 'Lagre varsel');
    await page.keyboard.press('Enter');
    await page.getByText('Varslene er lagret.').waitFor();
    expect(await focused()).toBe('Varsler');
    const saved = await getTask(s.stack.ports, TENANT, tasks.keyboard);
    expect(saved.notices.map((n) => [n.offset, n.message])).toEqual([['P2D', 'Hei {{kunde.navn}}, send oss bilagene.']]);
  });
});
