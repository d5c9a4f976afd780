import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { createTask } from '../../shared/use-cases/tasks.ts';
import { damageStoredTask } from '../integration/damage-task.ts';
import { expectAccessible, putTestFirm, screenshot, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * Tasks whose stored item is damaged, on the real local stack: the register names them above
 * the list (the API leaves them out of its rows and lists them in `unreadable`), once each
 * however often they are met, and a damaged task's own page says what happened instead of a
 * generic error. 30 tasks: the register's first page (25 rows) holds one damaged task, the
 * second page the other.
 */
const TENANT = 'damaged-firm';
let s: WebStack;
let onFirstPage: string;
let onSecondPage: string;

beforeAll(async () => {
  s = await startWebStack();
  const { ports } = s.stack;
  await putTestFirm(ports, TENANT);
  const customer = await createCustomer(ports, TENANT, { name: 'Skadet Kunde AS', email: 'post@skadet.example', optIn: { email: true, sms: false } });
  const ids: string[] = [];
  for (let i = 1; i <= 30; i++) {
    const task = await createTask(ports, TENANT, {
      title: `Oppgave ${String(i).padStart(2, '0')}`,
      customerId: customer.id,
      deadline: `2027-03-${String(i).padStart(2, '0')}`,
      notices: [{ when: 'before', offset: 'P1D', channels: ['email'], subject: 'Frist', message: 'Hei {{customer.name}}' }],
    });
    ids.push(task.id);
  }
  onFirstPage = ids[2]!;
  onSecondPage = ids[27]!;
  for (const id of [onFirstPage, onSecondPage]) await damageStoredTask(s.stack.config, TENANT, id);
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

const notice = (page: Page) => page.getByTestId('unreadable-tasks');
/** The ids the notice names, as listed (one list item each). */
const namedIds = (page: Page) => notice(page).getByRole('list').getByRole('listitem').allTextContents();
const rowCount = (page: Page) => page.locator('table tbody tr').count();

describe('damaged stored tasks', () => {
  it('are named above the register, once each, as pages are met: on the next page and back again', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, TENANT);
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(24);
    await expect.poll(() => namedIds(page)).toEqual([onFirstPage]);
    const alert = page.getByRole('alert').filter({ hasText: '1 oppgave kunne ikke leses' });
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.textContent()).toContain('Kontakt den som drifter Frist');
    expect(await alert.textContent()).toContain('ikke slettet');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Neste side' }).click();
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => namedIds(page)).toEqual([onFirstPage, onSecondPage]);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '2 oppgaver kunne ikke leses' }).count()).toBe(1);

    // Back on the first page its damaged task is met again: still named once.
    await page.getByRole('button', { name: 'Forrige side' }).click();
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(24);
    expect(await namedIds(page)).toEqual([onFirstPage, onSecondPage]);
    await expectAccessible(page);
    await screenshot(page, 'register-unreadable.png');

    // Other filters start afresh: from a date past both damaged tasks, nothing is said of them.
    await page.getByLabel('Frist fra', { exact: true }).pressSequentially('29.03.2027');
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => notice(page).count()).toBe(0);
  });

  it("open on their own page to a message that names the task and says what to do, without 'try again'", async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, TENANT, `/tasks/${onSecondPage}`);
    const alert = page.getByTestId('task-unreadable');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain('Oppgaven kan ikke leses');
    expect(await alert.getByRole('listitem').allTextContents()).toEqual([onSecondPage]);
    expect(await alert.textContent()).toContain('Kontakt den som drifter Frist');
    expect(await page.getByRole('button', { name: 'Prøv igjen' }).count()).toBe(0);
    expect(await page.getByText('Noe gikk galt').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'task-unreadable.png');

    // A task that reads is shown as ever.
    await page.getByRole('link', { name: 'Tilbake til oppgavene' }).click();
    await page.getByRole('link', { name: 'Oppgave 01' }).click();
    await page.getByRole('heading', { name: 'Oppgave 01', level: 1 }).waitFor({ timeout: 10_000 });
  });
});
