import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../web/src/lib/i18n/en.ts';
import { nb } from '../../web/src/lib/i18n/nb.ts';
import { expectAccessible, FIXED_NOW, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * Every screen in English, on the demo firm with notices sent: each shows its English texts,
 * no bokmål text of the app's and no catalogue key (a text i18next could not find), and passes axe.
 */
let s: WebStack;
let page: Page;
beforeAll(async () => {
  s = await startWebStack();
  // The before-notices go out at 09:01 (Oslo): the delivery logs and document centers have copies.
  await s.runDueAt(new Date(FIXED_NOW.getTime() + 60_000));
  page = await s.newPage({ locale: 'en-GB' });
  await signIn(page, s.web.appUrl);
  await page.getByText('English').click();
  await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

/** Every text path of a catalogue with its text. */
function texts(catalogue: object): string[] {
  return Object.values(catalogue).flatMap((value) => (typeof value === 'string' ? [value] : texts(value as object)));
}
const englishTexts = new Set(texts(en));
/** The bokmål texts that are not also English ("SMS", "E-post"?): none may show on an English screen. */
const bokmalOnly = texts(nb).filter((text) => !englishTexts.has(text));
/** A text as a pattern: its {{values}} match anything. */
const patternOf = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\\\{\w+\\\}\\\}/g, '.+?')}$`, 's');
// A template with little fixed text ("{{count}} time", 1 hour) would match English too ("Notice time").
const fixedLength = (text: string) => text.replace(/\{\{\w+\}\}/g, '').trim().length;
const bokmalPatterns = bokmalOnly.filter((text) => !text.includes('{{') || fixedLength(text) >= 8).map((text) => ({ text, pattern: patternOf(text) }));
const TOP_KEYS = Object.keys(en).join('|');
const KEY = new RegExp(`^(${TOP_KEYS})(\\.[A-Za-z0-9-]+)+$`);

/** What the screen says: each element's own text, and the names and hints in its attributes. */
const shownTexts = () =>
  page.evaluate(() => {
    const found = new Set<string>();
    for (const element of document.body.querySelectorAll('*')) {
      if (element.closest('[hidden], [aria-hidden="true"], script, style')) continue;
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
        .trim();
      if (own) found.add((element as HTMLElement).innerText?.trim() || own);
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = element.getAttribute(name)?.trim();
        if (value) found.add(value);
      }
    }
    return [...found];
  });

/** The screen is English throughout: no bokmål text of the app's, no catalogue key; and axe passes. */
async function expectEnglish() {
  const shown = await shownTexts();
  const bokmal = shown.filter((text) => bokmalPatterns.some(({ pattern }) => pattern.test(text)));
  const keys = shown.filter((text) => KEY.test(text));
  expect({ bokmal, keys }).toEqual({ bokmal: [], keys: [] });
  await expectAccessible(page);
}

describe('the app in English', () => {
  it('the register', async () => {
    await page.getByRole('columnheader', { name: /Deadline/ }).waitFor();
    await page.getByRole('link', { name: 'Bilag for november' }).waitFor();
    await expectEnglish();
  });

  it('a task: details, notices with the editor open, plan, delivery log', async () => {
    await page.getByRole('link', { name: 'Bilag for november' }).click();
    await page.getByRole('heading', { name: 'Bilag for november', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    await expectEnglish();
    await page.getByRole('tab', { name: 'Notices' }).click();
    await page.getByRole('button', { name: 'Edit notice 1' }).click();
    await page.getByRole('heading', { name: 'Edit notice 1' }).waitFor();
    await page.getByTestId('preview-sms-text').waitFor();
    await expectEnglish();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Remove notice 1' }).click();
    await page.getByRole('dialog', { name: 'Remove notice 1?' }).waitFor();
    await expectEnglish();
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByRole('table').waitFor();
    await expectEnglish();
    await page.getByRole('tab', { name: 'Deliveries' }).click();
    await page.getByRole('cell', { name: 'Sent' }).first().waitFor();
    await expectEnglish();
  });

  it('customers, a customer card, its document center and a sent copy', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Fjord Bakeri AS' }).waitFor();
    await expectEnglish();
    await page.getByRole('link', { name: 'Fjord Bakeri AS' }).click();
    await page.getByRole('heading', { name: 'Fjord Bakeri AS', level: 1 }).waitFor();
    await expectEnglish();
    await page.getByRole('tab', { name: 'Document center' }).click();
    await page
      .getByRole('link', { name: /^Open the copy sent/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Sent copy', level: 1 }).waitFor();
    await expectEnglish();
  });

  it('settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Time zone' }).waitFor();
    await expectEnglish();
  });
});

describe('the bokmål check itself', () => {
  it('finds a bokmål text and a catalogue key on a page', async () => {
    await page.evaluate(() => {
      const probe = document.createElement('p');
      probe.id = 'probe';
      probe.innerHTML = '<span>Lagre endringer</span><span>tasks.register.title</span>';
      document.body.append(probe);
    });
    const shown = await shownTexts();
    expect(shown.filter((text) => bokmalPatterns.some(({ pattern }) => pattern.test(text)))).toContain('Lagre endringer');
    expect(shown.filter((text) => KEY.test(text))).toContain('tasks.register.title');
    await page.evaluate(() => document.getElementById('probe')?.remove());
  });
});
