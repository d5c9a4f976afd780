import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, signIn, startWebStack, type WebStack } from './web-stack.ts';

let s: WebStack;
beforeAll(async () => {
  s = await startWebStack();
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

/** The stored ID token no longer verifies (as after a key rotation): after a reload, the API answers 401. */
async function spoilStoredToken(page: Page) {
  await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user'))!;
    const user = JSON.parse(sessionStorage.getItem(key)!);
    user.id_token = `${user.id_token.split('.').slice(0, 2).join('.')}.bad-signature`;
    sessionStorage.setItem(key, JSON.stringify(user));
  });
}

describe('signing in', () => {
  it('sends a signed-out visitor to the sign-in page, and back to where they were going afterwards', async () => {
    const page = await s.newPage();
    await page.goto(`${s.web.appUrl}/settings`);
    await page.getByRole('heading', { name: 'Logg inn lokalt' }).waitFor();
    expect(new URL(page.url()).origin).toBe(s.web.signInUrl);
    await expect.poll(() => page.getByLabel('Tenant-id').inputValue()).toBe('demo');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { name: 'Innstillinger', level: 1 }).waitFor();
    expect(page.url()).toBe(`${s.web.appUrl}/settings`);
    await expect.poll(() => page.getByTestId('firm-name').textContent()).toBe('Tall og Tid Regnskap AS');
  });

  it('signs in as the tenant typed on the sign-in page, which sees only its own firm', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, 'another-firm');
    await page.getByText('Ingen oppgaver.').waitFor();
    await expect.poll(() => page.getByTestId('firm-name').textContent()).toBe('Firma uten navn');
  });

  it('signs out through the sign-in service, and the next visit must sign in again', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.getByRole('heading', { name: 'Logg inn lokalt' }).waitFor();
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user')))).toEqual([]);
  });

  it('asks the user to sign in again when the API refuses the token (401): the sign-in window closed, in this one', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl);
    await page.getByRole('table').waitFor();
    await spoilStoredToken(page);
    await page.reload();
    const dialog = page.getByRole('dialog', { name: 'Du er ikke lenger logget inn' });
    await dialog.waitFor();
    await page.getByText('Du var ikke lenger logget inn', { exact: false }).waitFor(); // the register, behind it

    const opened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Logg inn igjen' }).click();
    await (await opened).close();
    await dialog.getByRole('button', { name: 'Logg inn i dette vinduet' }).click();
    await page.getByRole('heading', { name: 'Logg inn lokalt' }).waitFor();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('table').waitFor();
    expect(await dialog.count()).toBe(0);
  });

  it('signs in again in a window of its own, and what failed to load loads', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, '/customers');
    await page.getByRole('table').waitFor();
    await spoilStoredToken(page);
    await page.reload();
    const opened = page.waitForEvent('popup');
    await page.getByRole('dialog', { name: 'Du er ikke lenger logget inn' }).getByRole('button', { name: 'Logg inn igjen' }).click();
    const popup = await opened;
    await popup.getByRole('button', { name: 'Logg inn' }).click();
    await popup.waitForEvent('close');
    await page.getByRole('cell', { name: 'Fjord Bakeri AS' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/customers');
  });

  it('refuses an authorize request for a redirect URI that is not registered', async () => {
    const page = await s.newPage();
    const url = new URL(`${s.web.signInUrl}/oauth2/authorize`);
    for (const [k, v] of Object.entries({
      client_id: 'frist-local',
      redirect_uri: 'http://127.0.0.1:1/steal',
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    })) {
      url.searchParams.set(k, v);
    }
    const response = await page.goto(url.toString());
    expect(response?.status()).toBe(400);
    await page.getByText('redirect_uri is not registered for this client').waitFor();
  });
});
