import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../local/demo-seed.ts';
import { expectAccessible, FIXED_NOW, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * What a bad network, a hostile address bar, a refused token and hostile e-mail HTML do to the
 * app on the demo firm.
 */
let s: WebStack;
/** A server on loopback that records every request: what the e-mail HTML must never reach. */
const trapped: string[] = [];
const trap = createServer((request, response) => {
  trapped.push(request.url ?? '');
  response.end('trap');
});
beforeAll(async () => {
  s = await startWebStack();
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
  trap.close();
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
  it('shows a task id with a malformed escape (/tasks/%) as not found, served like any other path of the app, with no "Prøv igjen"', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    const response = await page.goto(`${s.web.appUrl}/tasks/%`);
    expect(response?.status()).toBe(200);
    await page.getByText('Fant det ikke. Det kan være slettet.').waitFor();
    await page.getByRole('link', { name: 'Tilbake til oppgavene' }).waitFor();
    // Nothing to try again: the way on is the link back.
    expect(await page.getByRole('button', { name: 'Prøv igjen' }).count()).toBe(0);
  });

  it('shows a page cursor too long for the API as a page view that has expired, with the way to the first page', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/?cursor=${'x'.repeat(5000)}`);
    await page.getByText('Sidevisningen er utløpt. Gå til første side.').waitFor();
    await page.getByRole('button', { name: 'Første side' }).click();
    await page.getByRole('cell', { name: 'Fjord Bakeri AS' }).first().waitFor();
    expect(new URL(page.url()).search).toBe('');
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

/** HTML that tries every way out of its frame that needs no script, each to its own path of the trap. */
function escapingHtml(trapUrl: string): string {
  return [
    `<html><head><meta http-equiv="refresh" content="0;url=${trapUrl}/refresh"><link rel="stylesheet" href="${trapUrl}/link">`,
    `<style>@import url("${trapUrl}/import"); p { background: url("${trapUrl}/background"); } input[value^="a"] { background: url("${trapUrl}/attribute"); }</style>`,
    `<base href="${trapUrl}/base/"></head><body><p id="p">HTML-delen</p>`,
    `<a id="top" href="${trapUrl}/top" target="_top">top</a> <a id="blank" href="${trapUrl}/blank" target="_blank">blank</a> <a id="self" href="${trapUrl}/self">self</a>`,
    `<a id="js" href="javascript:parent.document.title='pwned'">js</a>`,
    `<form action="${trapUrl}/form" method="post"><input name="x" value="abc"><button id="submit">send</button></form>`,
    `<img src="relative.png"><object data="${trapUrl}/object"></object><embed src="${trapUrl}/embed"><video src="${trapUrl}/video"></video><iframe src="${trapUrl}/frame"></iframe></body></html>`,
  ].join('');
}

describe('the HTML of a sent e-mail', () => {
  it('reaches nothing: no refresh, style sheet, CSS url, link, form, object or frame gets out of the sandbox, and the app stays', async () => {
    const { ports } = s.stack;
    await s.runDueAt(new Date(FIXED_NOW.getTime() + 60_000));
    const customers = await ports.store.listCustomers(DEMO_TENANT, { limit: 10 });
    const fjord = customers.items.find((customer) => customer.name === 'Fjord Bakeri AS')!;
    const email = (await ports.store.listDocuments(DEMO_TENANT, { customerId: fjord.id, limit: 10 })).items.find((d) => d.channel === 'email')!;
    const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    const eml = [
      'From: Tall og Tid <varsel@tallogtid.example>',
      'To: post@fjordbakeri.example',
      'Subject: Prøver å slippe ut',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      escapingHtml(trapUrl),
      '',
    ];
    await ports.archive.put(email.document!.key, Buffer.from(eml.join('\r\n')), 'message/rfc822');

    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/documents/${email.id}`);
    const frame = page.frameLocator('iframe');
    await frame.locator('#p').waitFor();
    const shown = page.url();
    // Last the link that would take the frame itself elsewhere (the browser refuses it and shows its error page).
    for (const id of ['#top', '#blank', '#js', '#submit', '#self']) await frame.locator(id).click();
    // Whatever got out would have reached the trap by the time the app has answered a new request.
    await page.getByRole('link', { name: 'Kunder' }).first().click();
    await page.getByRole('cell', { name: 'Fjord Bakeri AS' }).waitFor();
    // Back to the copy: a navigation inside the frame (the link to the frame itself, the form) may
    // commit after the app's own step and leave a history entry of its own, so back may take two steps.
    for (let step = 0; step < 3 && page.url() !== shown; step++) await page.goBack();
    await page.frameLocator('iframe').locator('#p').waitFor();
    expect(trapped).toEqual([]);
    expect(page.url()).toBe(shown);
    expect(await page.title()).not.toBe('pwned');
    expect(page.context().pages()).toHaveLength(1);
  });
});
