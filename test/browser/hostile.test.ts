import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../local/demo-seed.ts';
import { expectAccessible, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * What a bad network and a hostile address bar do to the app on the demo firm: a create whose
 * answer is lost and which the user sends again, a malformed address.
 */
let s: WebStack;
beforeAll(async () => {
  s = await startWebStack();
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

async function countNamed(path: '/tasks' | '/customers', field: 'title' | 'name', value: string): Promise<number> {
  const response = await fetch(`${s.stack.apiUrl}${path}?limit=100`, { headers: { authorization: `Bearer ${await s.token(DEMO_TENANT)}` } });
  const { items } = (await response.json()) as { items: Record<string, unknown>[] };
  return items.filter((item) => item[field] === value).length;
}

/** Presses `button` once while the POST to `path` it sends is done by the API but its answer is lost on the way back. */
async function pressAnswerLost(page: Page, path: string, button: string) {
  let lost = false;
  await page.route(`**${path}`, async (route) => {
    if (route.request().method() !== 'POST' || lost) return route.fallback();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: button }).click();
  await page.getByText('Fikk ikke kontakt med Frist.', { exact: false }).waitFor();
}

async function fillNewTask(page: Page, title: string) {
  await signIn(page, s.web.appUrl, undefined, '/tasks/new');
  await page.getByRole('heading', { name: 'Ny oppgave', level: 1 }).waitFor();
  await page.getByLabel('Tittel').fill(title);
  await page.getByRole('combobox', { name: 'Kunde' }).fill('Fjord');
  await page.getByRole('option', { name: 'Fjord Bakeri AS' }).click();
  await page.getByLabel('Fristdato', { exact: true }).pressSequentially('01.03.2027');
}

describe('a create whose answer is lost', () => {
  it('makes one task when "Opprett oppgave" is pressed again', async () => {
    const page = await s.newPage();
    await fillNewTask(page, 'Svaret ble borte');
    await pressAnswerLost(page, '/tasks', 'Opprett oppgave');
    expect(await countNamed('/tasks', 'title', 'Svaret ble borte')).toBe(1);

    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByText('Oppgaven er opprettet.').waitFor();
    expect(await countNamed('/tasks', 'title', 'Svaret ble borte')).toBe(1);
  });

  it('says that the earlier attempt was saved when the task was changed before pressing again, and makes no second task', async () => {
    const page = await s.newPage();
    await fillNewTask(page, 'Først slik');
    await pressAnswerLost(page, '/tasks', 'Opprett oppgave');

    await page.getByLabel('Tittel').fill('Så slik');
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByText('Et tidligere forsøk ble lagret', { exact: false }).waitFor();
    await expectAccessible(page);
    expect(await page.getByRole('button', { name: 'Hent siste versjon' }).count()).toBe(0);
    expect([await countNamed('/tasks', 'title', 'Først slik'), await countNamed('/tasks', 'title', 'Så slik')]).toEqual([1, 0]);
  });

  it('makes one customer, and says so when the customer was changed before pressing again', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, '/customers/new');
    await page.getByRole('heading', { name: 'Ny kunde', level: 1 }).waitFor();
    await page.getByLabel('Navn').fill('Borte Svar AS');
    await pressAnswerLost(page, '/customers', 'Opprett kunde');

    await page.getByLabel('Navn').fill('Borte Svar Holding AS');
    await page.getByRole('button', { name: 'Opprett kunde' }).click();
    await page.getByText('Et tidligere forsøk ble lagret', { exact: false }).waitFor();
    expect([await countNamed('/customers', 'name', 'Borte Svar AS'), await countNamed('/customers', 'name', 'Borte Svar Holding AS')]).toEqual([1, 0]);
  });
});

describe('a hostile address', () => {
  it('shows a task id with a malformed escape (/tasks/%) as not found, served like any other path of the app', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    const response = await page.goto(`${s.web.appUrl}/tasks/%`);
    expect(response?.status()).toBe(200);
    await page.getByText('Fant det ikke. Det kan være slettet.').waitFor();
    await page.getByRole('link', { name: 'Tilbake til oppgavene' }).waitFor();
  });
});

describe('a sign-in the API no longer accepts', () => {
  it('keeps what was typed, signs in again in a window of its own, and the create then goes through', async () => {
    const page = await s.newPage();
    await fillNewTask(page, 'Skrevet før utløpet');
    // The create carries a token whose signature no longer verifies (as after its expiry or a key rotation): the API answers 401.
    await page.route('**/tasks', (route) => {
      const { authorization = '' } = route.request().headers();
      if (route.request().method() !== 'POST') return route.fallback();
      return route.fallback({ headers: { ...route.request().headers(), authorization: `${authorization.split('.').slice(0, 2).join('.')}.bad-signature` } });
    });
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    const dialog = page.getByRole('dialog', { name: 'Du er ikke lenger logget inn' });
    await dialog.waitFor();
    await expectAccessible(page);
    await page.unroute('**/tasks');
    expect(await page.getByLabel('Tittel').inputValue()).toBe('Skrevet før utløpet');

    const opened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Logg inn igjen' }).click();
    const popup = await opened;
    await popup.getByRole('heading', { name: 'Logg inn lokalt' }).waitFor();
    await popup.getByRole('button', { name: 'Logg inn' }).click();
    await popup.waitForEvent('close');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Du var ikke lenger logget inn, så Frist tok ikke imot dette.', { exact: false }).waitFor();
    expect(await page.getByLabel('Tittel').inputValue()).toBe('Skrevet før utløpet');
    expect(await countNamed('/tasks', 'title', 'Skrevet før utløpet')).toBe(0);

    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByText('Oppgaven er opprettet.').waitFor();
    expect(await countNamed('/tasks', 'title', 'Skrevet før utløpet')).toBe(1);
  });
});
