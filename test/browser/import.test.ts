import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excelCsv, HEADER } from '../integration/import-files.ts';
import { expectAccessible, screenshot, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * The import screen on the real local stack: a file from Excel is uploaded, the job waits in
 * the jobs queue until the test runs it (the stack's clock stands still), and the screen
 * follows it to its counts and lists the rows it did not import, with the rule in words.
 */
let s: WebStack;
beforeAll(async () => {
  s = await startWebStack();
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

const row = (n: number, overrides: Record<number, string> = {}) =>
  [`3000${n}`, `Import Kunde ${n} AS`, `kunde${n}@import.example`, '', `IMP-${n}`, 'Årsoppgjør', '31.05.2027', 'Kari', 'Husk vedlegg; signert', ''].map(
    (cell, i) => overrides[i] ?? cell,
  );

describe('the import screen', () => {
  it('uploads a file, follows the job to its counts, and lists the bad rows by line, column and rule', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, '/import');
    await page.getByRole('heading', { name: 'Importer kunder og oppgaver', level: 1 }).waitFor();
    const csv = excelCsv(HEADER, [row(1), row(2, { 2: 'ikke-en-adresse' }), row(3), row(4, { 9: 'Finnes ikke' }), row(5)]);
    await page.locator('input[type="file"]').setInputFiles({ name: 'kunder.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.getByText('I kø', { exact: true }).waitFor();

    await s.stack.runDue();
    await page.getByText('Ferdig', { exact: true }).waitFor();
    await page.getByText('5 av 5 rader: 3 importert, 0 fantes fra før, 2 med feil.').waitFor();
    const problems = page.getByRole('table');
    await problems.getByRole('row').nth(2).waitFor();
    const rows = await problems.getByRole('row').allInnerTexts();
    expect(rows.slice(1).map((text) => text.split('\t').map((cell) => cell.trim()))).toEqual([
      ['3', 'E-post', 'Må være en e-postadresse.', 'Ikke importert'],
      ['5', 'templateName', 'Finnes ikke.', 'Ikke importert'],
    ]);
    await expectAccessible(page);
    await screenshot(page, 'import.png');

    const { items } = await s.stack.ports.store.listCustomers('demo', { limit: 100, namePrefix: 'Import Kunde' });
    expect(items.map((c) => c.customerNumber).sort()).toEqual(['30001', '30003', '30005']);
  });

  it('says why a file is refused as a whole, in words', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, '/import');
    await page.locator('input[type="file"]').setInputFiles({ name: 'tom.csv', mimeType: 'text/csv', buffer: Buffer.from(excelCsv(HEADER, [])) });
    await page.getByRole('button', { name: 'Importer' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Filen kan ikke importeres').waitFor();
    expect(await alert.innerText()).toContain('(file): Har for få elementer.');
  });
});
