import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../local/demo-seed.ts';
import { createCustomer, updateCustomer } from '../../shared/use-cases/customers.ts';
import { createTask, listTasks, setTaskStatus } from '../../shared/use-cases/tasks.ts';
import { expectAccessible, FIXED_NOW, screenshot, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * The task register, the home screen, on the seeded demo firm (its clock fixed at
 * 2027-01-04 09:00 in Oslo) and on a firm with 60 tasks for paging. The browser runs in New
 * York: every date and time must still show in the firm's zone.
 */
let s: WebStack;
beforeAll(async () => {
  s = await startWebStack({ injectFaults: true });
  const { ports } = s.stack;
  const demoTasks = await listTasks(ports, DEMO_TENANT, { limit: 100 });
  await setTaskStatus(ports, DEMO_TENANT, demoTasks.items.find((t) => t.title === 'Aksjonærregisteroppgave')!.id, 'completed');
  const customer = await createCustomer(ports, 'paging', { name: 'Mange Oppgaver AS', email: 'post@mange.example', optIn: { email: true, sms: true } });
  for (let i = 1; i <= 60; i++) {
    const day = String(((i - 1) % 28) + 1).padStart(2, '0');
    const month = i <= 28 ? '03' : i <= 56 ? '04' : '05';
    await createTask(ports, 'paging', {
      title: `Oppgave ${String(i).padStart(2, '0')}`,
      customerId: customer.id,
      deadline: `2027-${month}-${day}`,
      notices: [],
    });
  }
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

const rows = (page: Page) => page.locator('table tbody tr');
const titles = (page: Page) => page.locator('table tbody tr td:first-child').allTextContents();
const cells = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
async function waitForTitles(page: Page, expected: unknown) {
  await expect.poll(() => titles(page), { timeout: 10_000 }).toEqual(expected);
}

describe('the task register', () => {
  it("lists the demo firm's tasks by deadline: customer, dd.mm.yyyy in the firm's zone, status, clock mark, next notice", async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await page.getByRole('heading', { name: 'Oppgaver', level: 1 }).waitFor();
    // The clock mark reads "Har varsel" (its label).
    await expect
      .poll(async () => (await cells(page)).map((row) => row[1]), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['Fjord Bakeri AS', 'Øvre Verksted ANS', 'Åsen Studio']));
    const table = await cells(page);
    expect(table[0]).toEqual(['Bilag for november', 'Fjord Bakeri AS', '04.01.2027 09:02', 'Åpen', 'Har varsel', '04.01.2027 09:01']);
    // The two tasks due the same day come in the API's order (by id): compare them as a set.
    expect(table.slice(1, 3).sort()).toEqual([
      ['MVA-melding 6. termin', 'Øvre Verksted ANS', '03.02.2027', 'Åpen', 'Har varsel', '27.01.2027 09:00'],
      ['Årsoppgjør', 'Åsen Studio', '03.02.2027', 'Åpen', 'Har varsel', '31.01.2027 08:30'],
    ]);
    expect(table[3]).toEqual(['Aksjonærregisteroppgave', 'Åsen Studio', 'Ingen frist', 'Fullført', '', '–']);
    await expect.poll(() => page.getByRole('img', { name: 'Har varsel' }).count()).toBe(3);
    await expect.poll(() => page.getByTestId('firm-name').textContent()).toBe('Tall og Tid Regnskap AS');
    await expectAccessible(page);
    await screenshot(page, 'register.png');
  });

  it('filters by status, customer, deadline range and notices; the filters are in the URL and survive a reload', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await waitForTitles(page, expect.arrayContaining(['Bilag for november']));

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Fullført' });
    await waitForTitles(page, ['Aksjonærregisteroppgave']);
    expect(new URL(page.url()).searchParams.get('status')).toBe('completed');
    await page.getByLabel('Varsel', { exact: true }).selectOption({ label: 'Med varsel' });
    await page.getByText('Ingen oppgaver passer filtrene.').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Nullstill filtre' }).click();
    await expect.poll(() => rows(page).count()).toBe(4);

    await page.getByRole('combobox', { name: 'Kunde' }).fill('Åsen');
    await page.getByRole('option', { name: 'Åsen Studio' }).click();
    await expect.poll(async () => (await titles(page)).sort()).toEqual(['Aksjonærregisteroppgave', 'Årsoppgjør']);
    await page.reload();
    await expect.poll(async () => (await titles(page)).sort()).toEqual(['Aksjonærregisteroppgave', 'Årsoppgjør']);
    await expect.poll(() => page.getByRole('combobox', { name: 'Kunde' }).inputValue()).toBe('Åsen Studio');
    await page.getByRole('button', { name: 'Nullstill filtre' }).click();

    // Dates typed as staff write them (dd.mm.yyyy), whatever the browser's language; the URL keeps the API's.
    await page.getByLabel('Frist fra', { exact: true }).pressSequentially('01.02.2027');
    await expect.poll(() => new URL(page.url()).searchParams.get('deadlineFrom')).toBe('2027-02-01');
    await page.getByLabel('Frist til', { exact: true }).pressSequentially('28.02.2027');
    await expect.poll(async () => (await titles(page)).sort()).toEqual(['MVA-melding 6. termin', 'Årsoppgjør']);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ deadlineFrom: '2027-02-01', deadlineTo: '2027-02-28' });
    await page.reload();
    await expect.poll(() => page.getByLabel('Frist fra', { exact: true }).inputValue()).toBe('01.02.2027');
    expect(await page.getByLabel('Frist til', { exact: true }).inputValue()).toBe('28.02.2027');

    // A reversed range: the API's field error (rule `range`) shows on the field, in bokmål.
    await page.getByLabel('Frist til', { exact: true }).fill('15.01.2027');
    await page.getByText('Til-datoen kan ikke være før fra-datoen.').waitFor();
    expect(await page.getByLabel('Frist til', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    // A click opens the calendar (for the mouse), in bokmål, weeks from Monday; it passes axe too, and Escape closes it.
    await page.getByLabel('Frist fra', { exact: true }).click();
    await page.getByRole('button', { name: 'mandag 1. februar 2027' }).waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Neste måned' }).waitFor({ state: 'hidden' });

    // A day that does not exist is said to be none at the field, and no old date filters the list.
    await page.getByLabel('Frist til', { exact: true }).fill('32.01.2027');
    await page.getByLabel('Frist til', { exact: true }).blur();
    await page.getByText('Ikke en dato. Skriv dd.mm.åååå, for eksempel 10.02.2027.').waitFor();
    expect(await page.getByLabel('Frist til', { exact: true }).inputValue()).toBe('32.01.2027');
    expect(new URL(page.url()).searchParams.get('deadlineTo')).toBe('32.01.2027');

    await page.getByRole('button', { name: 'Nullstill filtre' }).click();
    await page.getByLabel('Varsel', { exact: true }).selectOption({ label: 'Uten varsel' });
    await waitForTitles(page, ['Aksjonærregisteroppgave']);
  });

  it('pages through 60 tasks 25 at a time, forward and back, and a reload keeps the page', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, 'paging');
    const expected = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Oppgave ${String(from + i).padStart(2, '0')}`);
    await waitForTitles(page, expected(1, 25));
    await page.getByText('Side 1').waitFor();
    expect(await page.getByRole('button', { name: 'Forrige side' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Neste side' }).click();
    await waitForTitles(page, expected(26, 50));
    await page.getByText('Side 2').waitFor();
    await page.getByRole('button', { name: 'Neste side' }).click();
    await waitForTitles(page, expected(51, 60));
    await page.getByText('Side 3').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Neste side' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Forrige side' }).click();
    await waitForTitles(page, expected(26, 50));
    await page.reload();
    await waitForTitles(page, expected(26, 50));
    await page.getByText('Side 2').waitFor();
    await page.getByRole('button', { name: 'Forrige side' }).click();
    await waitForTitles(page, expected(1, 25));
    expect(new URL(page.url()).searchParams.has('cursor')).toBe(false);
  });

  it('switches to English and back; the choice is remembered across a reload', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await page.getByText('English').click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.getByRole('columnheader', { name: /Deadline/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.getByRole('img', { name: 'Has notices' }).count()).toBe(3);
    await expectAccessible(page);
    await page.getByText('Bokmål').click();
    await page.getByRole('heading', { name: 'Oppgaver', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nb');
  });

  it('works by keyboard alone: skip link, a filter, a task opened with Enter, the menu', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await waitForTitles(page, expect.arrayContaining(['Bilag for november']));
    const focused = () =>
      page.evaluate(() =>
        (document.activeElement?.textContent || document.activeElement?.getAttribute('aria-label') || document.activeElement?.id || '').trim(),
      );
    const tabTo = async (matches: (text: string) => boolean, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if (matches(await focused())) return;
      }
      throw new Error(`Tab never reached it; last focused: ${await focused()}`);
    };

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Hopp til innholdet');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // The new-task button, then the status filter: focus it and move the choice with the arrow keys.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Ny oppgave');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('open');
    await waitForTitles(page, expect.not.arrayContaining(['Aksjonærregisteroppgave']));

    await tabTo((text) => text === 'Bilag for november');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bilag for november', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/tasks\/[A-Za-z0-9_-]+$/);
    await expectAccessible(page);

    // Back to the start of the page, then along the header to the menu.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo((text) => text === 'Kunder');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
    await expectAccessible(page);
    await tabTo((text) => text === 'Innstillinger');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Innstillinger', level: 1 }).waitFor();
    await expectAccessible(page);
  });

  it('says so when the register cannot be read, and reads it again on "Prøv igjen"', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await waitForTitles(page, expect.arrayContaining(['Bilag for november']));
    // DynamoDB fails every call: the API answers 5xx after the SDK's retries, the app after its own.
    s.stack.dynamodbFaults!.failNext(500, 'InternalServerError', 1000);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Åpen' });
    await page.getByRole('alert').filter({ hasText: 'Noe gikk galt' }).waitFor({ timeout: 20_000 });
    await expectAccessible(page);

    s.stack.dynamodbFaults!.clear();
    await page.getByRole('button', { name: 'Prøv igjen' }).click();
    await waitForTitles(page, expect.arrayContaining(['Bilag for november', 'Årsoppgjør']));
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  // Last: it moves the stack's clock past the demo firm's first notices.
  it('marks a task whose latest delivery needs the firm, and says why', async () => {
    const { ports } = s.stack;
    const customer = await createCustomer(ports, 'attention', { name: 'Flyttet AS', email: 'post@flyttet.example', optIn: { email: true, sms: true } });
    const notice = {
      when: 'before' as const,
      offset: 'P1D',
      channels: ['email' as const],
      sendAt: '09:05',
      subject: 'Frist i morgen',
      message: 'Hei {{kunde.navn}}',
    };
    await createTask(ports, 'attention', { title: 'Uten adresse nå', customerId: customer.id, deadline: '2027-01-05', notices: [notice] });
    await createTask(ports, 'attention', { title: 'Ikke sendt ennå', customerId: customer.id, deadline: '2027-02-05', notices: [notice] });
    // The address is removed after the save: the notice at 09:05 is skipped, `no-address`.
    await updateCustomer(ports, 'attention', customer.id, { name: customer.name, optIn: customer.optIn, version: customer.version });
    await s.runDueAt(new Date(FIXED_NOW.getTime() + 6 * 60_000));

    const page = await s.newPage();
    await signIn(page, s.web.appUrl, 'attention');
    const mark = page.getByRole('img', { name: 'Trenger oppfølging: siste e-post – kunden mangler adresse' });
    await mark.waitFor();
    expect(await mark.count()).toBe(1);
    const marked = await rows(page).filter({ has: mark }).locator('td').first().textContent();
    expect(marked).toBe('Uten adresse nå');
    await expectAccessible(page);
  });
});
