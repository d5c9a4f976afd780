import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesEventsHandler } from '../../functions/ses-events/app.ts';
import { DEMO_TENANT } from '../../local/demo-seed.ts';
import { createCustomer, getCustomer, updateCustomer } from '../../shared/use-cases/customers.ts';
import { getSettings } from '../../shared/use-cases/settings.ts';
import { copyHeader, expectAccessible, FIXED_NOW, screenshot, signIn, startWebStack, type WebStack } from './web-stack.ts';

/**
 * Customers and the document center on the seeded demo firm. The demo's first notices (Fjord
 * Bakeri, e-mail and SMS, before and after "Bilag for november") go out when the stack's
 * clock moves three minutes on; Øvre Verksted's address bounces through the SES events path.
 */
let s: WebStack;
const ids: Record<string, string> = {};
const REMOTE_IMAGE = 'http://203.0.113.9/pixel.png';

beforeAll(async () => {
  s = await startWebStack();
  const { ports } = s.stack;
  // One minute at a time: the before-notices go out at 09:01, the after-notices at 09:02 (Oslo).
  await s.runDueAt(new Date(FIXED_NOW.getTime() + 60_000));
  await s.runDueAt(new Date(FIXED_NOW.getTime() + 2 * 60_000));
  const { items } = await ports.store.listCustomers(DEMO_TENANT, { limit: 10 });
  for (const customer of items) ids[customer.name] = customer.id;

  // A permanent bounce for Øvre Verksted's address, as SES reports it (SNS -> ses-events).
  const handler = createSesEventsHandler(s.stack.sesEventsPorts, s.stack.telemetry['ses-events']);
  await handler(
    {
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            Message: JSON.stringify({
              eventType: 'Bounce',
              bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'regnskap@ovreverksted.example' }] },
              mail: { messageId: 'x', tags: { tenantId: [DEMO_TENANT], customerId: [ids['Øvre Verksted ANS']!] } },
            }),
          },
        },
      ],
    },
    {} as never,
  );

  // The older e-mail copy is replaced by one whose HTML tries to run a script and load a remote image.
  const documents = await ports.store.listDocuments(DEMO_TENANT, { customerId: ids['Fjord Bakeri AS']!, limit: 10 });
  const oldestEmail = documents.items.filter((d) => d.channel === 'email').at(-1)!;
  ids.hostileDocument = oldestEmail.id;
  await ports.archive.put(oldestEmail.document!.key, Buffer.from(hostileEml()), 'message/rfc822');
  await createCustomer(ports, DEMO_TENANT, { name: 'Uten Oppgaver AS', optIn: { email: true, sms: true } });
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

function hostileEml(): string {
  return [
    'From: Tall og Tid <varsel@tallogtid.example>',
    'To: post@fjordbakeri.example',
    'Subject: Skadelig test',
    'Date: Mon, 04 Jan 2027 08:01:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bare tekst.',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><p id="p">HTML-delen</p><script>document.body.dataset.ran = 'yes'; parent.postMessage('ran', '*');</script><img id="remote" src="${REMOTE_IMAGE}" alt="sporing"></body></html>`,
    '--b--',
    '',
  ].join('\r\n');
}

const focusedText = (page: Page) =>
  page.evaluate(() => (document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || '').trim());
async function tabTo(page: Page, matches: (text: string) => boolean, limit = 40, key = 'Tab') {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (matches(await focusedText(page))) return;
  }
  throw new Error(`Tab never reached it; last focused: ${await focusedText(page)}`);
}
const names = (page: Page) => page.locator('table tbody tr td:first-child').allTextContents();

describe('the customers', () => {
  it('lists the customers by name and searches by the start of the name', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, '/customers');
    await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
    await expect.poll(() => names(page), { timeout: 10_000 }).toEqual(['Fjord Bakeri AS', 'Uten Oppgaver AS', 'Åsen Studio', 'Øvre Verksted ANS']);
    expect(await page.locator('table tbody tr').first().locator('td').allTextContents()).toEqual([
      'Fjord Bakeri AS',
      'post@fjordbakeri.example',
      '912 34 567',
      '',
      '',
    ]);
    await expectAccessible(page);
    await screenshot(page, 'customers.png');

    await page.getByLabel('Søk på navn').fill('øv');
    await expect.poll(() => names(page)).toEqual(['Øvre Verksted ANS']);
    await page.getByLabel('Søk på navn').fill('Finnes ikke');
    await page.getByText('Ingen kunder har navn som begynner med «Finnes ikke».').waitFor();
    await expectAccessible(page);
  });

  it('creates a customer: an invalid organisation number is refused at the field before anything is sent, in the words of the API', async () => {
    const page = await s.newPage();
    const posts: Request[] = [];
    page.on('request', (request) => request.method() === 'POST' && request.url().endsWith('/customers') && posts.push(request));
    await signIn(page, s.web.appUrl, undefined, '/customers');
    await page.getByRole('link', { name: 'Ny kunde' }).click();
    await page.getByRole('heading', { name: 'Ny kunde', level: 1 }).waitFor();
    await page.getByLabel('Navn').fill('Nordlys Regnskap AS');
    await page.getByLabel('Mobil').fill('41234568');
    await page.getByLabel('Organisasjonsnummer').fill('974 760 674');
    await page.getByRole('button', { name: 'Opprett kunde' }).click();
    await page.getByText('Må være et gyldig organisasjonsnummer (9 siffer).').waitFor();
    expect(await page.getByLabel('Organisasjonsnummer').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toHaveLength(0);
    await expectAccessible(page);

    await page.getByLabel('Organisasjonsnummer').fill('974 760 673');
    await page.getByLabel('Kundenummer').fill('10042');
    await page.getByRole('switch', { name: 'Varsel på SMS' }).uncheck();
    await page.getByRole('button', { name: 'Opprett kunde' }).click();
    await page.getByRole('heading', { name: 'Nordlys Regnskap AS', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/customers\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('customer-title');
    expect(await page.getByLabel('Mobil').inputValue()).toBe('412 34 568');
    expect(await page.getByLabel('Organisasjonsnummer').inputValue()).toBe('974760673');
    expect(await page.getByRole('switch', { name: 'Varsel på SMS' }).isChecked()).toBe(false);
    const stored = await getCustomer(s.stack.ports, DEMO_TENANT, new URL(page.url()).pathname.split('/').at(-1)!);
    expect(stored).toMatchObject({ mobile: '+4741234568', orgNumber: '974760673', customerNumber: '10042', optIn: { email: true, sms: false } });
  });

  it('edits by PATCH; a concurrent change is a 409 with a reload; a lost connection is said in words', async () => {
    const id = ids['Åsen Studio']!;
    const page = await s.newPage();
    const patches: string[] = [];
    page.on('request', (request) => request.method() === 'PATCH' && patches.push(request.postData() ?? ''));
    await signIn(page, s.web.appUrl, undefined, `/customers/${id}`);
    await page.getByRole('heading', { name: 'Åsen Studio', level: 1 }).waitFor();
    expect(await page.getByLabel('Mobil').inputValue()).toBe('412 34 567');

    await page.getByLabel('E-post', { exact: true }).fill('post@asen.example');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Endringene er lagret.').waitFor();
    expect(JSON.parse(patches[0]!)).toEqual({ email: 'post@asen.example', version: 1 });

    // Someone else renames the customer meanwhile.
    const current = await getCustomer(s.stack.ports, DEMO_TENANT, id);
    await updateCustomer(s.stack.ports, DEMO_TENANT, id, { ...current, name: 'Åsen Studio AS', version: current.version });
    await page.getByLabel('Kundenummer').fill('77');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Noen andre har endret dette').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Hent siste versjon' }).click();
    await page.getByRole('heading', { name: 'Åsen Studio AS', level: 1 }).waitFor();
    expect(await page.getByLabel('Navn').inputValue()).toBe('Åsen Studio AS');
    expect(await page.getByLabel('Kundenummer').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Lagre endringer');

    await page.context().setOffline(true);
    await page.getByLabel('Kundenummer').fill('77');
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Fikk ikke kontakt med Frist. Sjekk nettforbindelsen og prøv igjen.').waitFor();
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Lagre endringer' }).click();
    await page.getByText('Endringene er lagret.').waitFor();
    expect((await getCustomer(s.stack.ports, DEMO_TENANT, id)).customerNumber).toBe('77');
  });

  it('shows the suppression of a bounced address; a customer with tasks cannot be deleted, one without can', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/customers/${ids['Øvre Verksted ANS']}`);
    const alert = page.getByTestId('suppression');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('E-post til regnskap@ovreverksted.example kom i retur 04.01.2027 09:02');
    expect(await alert.textContent()).toContain('Ingen e-post sendes dit før e-postadressen endres.');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Slett kunde' }).click();
    await page.getByRole('dialog', { name: 'Slette Øvre Verksted ANS?' }).waitFor();
    await page.getByRole('button', { name: 'Slett', exact: true }).click();
    await page.getByText('Kunden har oppgaver og kan ikke slettes. Slett oppgavene eller flytt dem til en annen kunde først.').waitFor();
    await expectAccessible(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Lukk' }).last().click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('link', { name: 'Tilbake til kundene' }).click();
    await page.getByRole('link', { name: 'Uten Oppgaver AS' }).click();
    await page.getByRole('button', { name: 'Slett kunde' }).click();
    await page.getByRole('button', { name: 'Slett', exact: true }).click();
    await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
    await expect.poll(() => names(page)).not.toContain('Uten Oppgaver AS');
  });

  it('shows that the customer answered STOPP (through the gateway), and which SMS copies were delivered', async () => {
    const settings = await getSettings(s.stack.ports, DEMO_TENANT);
    const urls = { inboundUrl: `${s.stack.apiUrl}/sms-gateway/generic/${DEMO_TENANT}/${settings.gatewaySecret}/inbound` };
    const sms = s.stack.sms.sent.find((m) => m.to === '+4791234567')!;
    s.stack.sms.configureCallbacks(sms.username!, { ...urls, receiptUrl: urls.inboundUrl.replace(/inbound$/, 'receipt') });
    expect(await s.stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    expect(await s.stack.sms.pushInbound(sms.username!, 'generic', { from: '+4791234567', text: 'Stopp' })).toBe(204);

    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/customers/${ids['Fjord Bakeri AS']}`);
    const alert = page.getByTestId('opt-out');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Kunden har meldt seg av SMS');
    expect(await alert.textContent()).toMatch(/Kunden svarte STOPP på en SMS 04\.01\.2027 09:0\d\./);
    await expectAccessible(page);

    await page.getByRole('tab', { name: 'Dokumentsenter' }).click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').count()).toBe(1);
    await expectAccessible(page);

    // The firm turns SMS on again for the customer (the customer asked): the opt-out goes.
    const customer = await getCustomer(s.stack.ports, DEMO_TENANT, ids['Fjord Bakeri AS']!);
    const { name, email, mobile, version } = customer;
    await updateCustomer(s.stack.ports, DEMO_TENANT, customer.id, { name, email, mobile, optIn: { email: true, sms: true }, version });
    await page.reload();
    await page.getByRole('tab', { name: 'Dokumentsenter' }).waitFor();
    expect(await page.getByTestId('opt-out').count()).toBe(0);
  });

  it("lists the customer's tasks, each linking to its task page", async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/customers/${ids['Fjord Bakeri AS']}`);
    await page.getByRole('tab', { name: 'Oppgaver' }).click();
    await page.getByRole('link', { name: 'Bilag for november' }).waitFor();
    const row = await page.locator('table tbody tr').first().locator('td').allTextContents();
    expect(row).toEqual(['Bilag for november', '04.01.2027 09:02', 'Åpen', '–']);
    expect(new URL(page.url()).searchParams.get('section')).toBe('tasks');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Bilag for november' }).click();
    await page.waitForURL(/\/tasks\/[A-Za-z0-9_-]+$/);
  });
});

describe('the document center', () => {
  it('lists every sent copy newest first, and opens an e-mail as the message with its HTML in a sandboxed frame', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/customers/${ids['Fjord Bakeri AS']}?section=documents`);
    await page.getByRole('tab', { name: 'Dokumentsenter', selected: true }).waitFor();
    await expect.poll(() => page.locator('table tbody tr').count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => page.getByRole('link', { name: 'Bilag for november' }).count()).toBe(4);
    const rows = await page
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['04.01.2027 09:02', expect.any(String)],
      ['04.01.2027 09:02', expect.any(String)],
      ['04.01.2027 09:01', expect.any(String)],
      ['04.01.2027 09:01', expect.any(String)],
    ]);
    expect(rows.map((r) => r[1]).sort()).toEqual(['E-post', 'E-post', 'SMS', 'SMS']);
    await expectAccessible(page);
    await screenshot(page, 'customer-card.png');

    // The newest e-mail as it was sent.
    await page.getByRole('link', { name: 'Åpne kopien sendt 04.01.2027 09:02 (E-post)' }).click();
    await page.getByRole('heading', { name: 'Sendt kopi', level: 1 }).waitFor();
    const header = (name: string) => copyHeader(page, name);
    await page.getByRole('rowheader', { name: 'Emne' }).waitFor();
    expect(await header('Fra')).toBe('Tall og Tid <varsel@tallogtid.example>');
    expect(await header('Til')).toBe('Fjord Bakeri AS <post@fjordbakeri.example>');
    expect(await header('Svar til')).toBe('post@tallogtid.example');
    expect(await header('Emne')).toBe('Fristen for Bilag for november er passert');
    expect(await header('Dato')).toBe('04.01.2027 09:02');
    expect(await page.getByTestId('email-text').textContent()).toContain('Hei Fjord Bakeri AS, fristen for Bilag for november er passert.');
    const frame = page.locator('iframe');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const download = page.getByRole('link', { name: 'Last ned .eml' });
    expect(await download.getAttribute('download')).toMatch(/\.eml$/);
    await expectAccessible(page, { skipFrames: true });
    await screenshot(page, 'document-email.png');
  });

  it('runs no script and loads no remote image from the HTML of a copy', async () => {
    const page = await s.newPage();
    const messages: unknown[] = [];
    await page.exposeFunction('recordMessage', (data: unknown) => messages.push(data));
    await page.addInitScript(() =>
      window.addEventListener('message', (event) => (window as unknown as { recordMessage(d: unknown): void }).recordMessage(event.data)),
    );
    await signIn(page, s.web.appUrl, undefined, `/documents/${ids.hostileDocument}`);
    await page.getByText('Bare tekst.').waitFor();
    const frameElement = page.locator('iframe');
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await frame.locator('#p').waitFor();
    expect(await frame.locator('#p').textContent()).toBe('HTML-delen');
    expect(await frame.evaluate(() => document.body.dataset.ran ?? 'no')).toBe('no');
    expect(await frame.evaluate(() => (document.getElementById('remote') as HTMLImageElement).naturalWidth)).toBe(0);
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    // The remote image was never requested: the frame's own policy stops it before the network.
    expect(s.offLoopback).not.toContain(REMOTE_IMAGE);
  });

  it('opens an SMS copy as its record', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, `/customers/${ids['Fjord Bakeri AS']}?section=documents`);
    await page.getByRole('link', { name: 'Åpne kopien sendt 04.01.2027 09:02 (SMS)' }).click();
    await page.getByRole('heading', { name: 'SMS', level: 2 }).waitFor();
    const cells = await page
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]));
    expect(cells.slice(0, 5)).toEqual([
      ['Avsender', 'TallOgTid'],
      ['Mottaker', '912 34 567'],
      ['Tekst', 'Hei Fjord Bakeri AS, fristen for Bilag for november er passert. Hilsen Tall og Tid Regnskap AS'],
      ['Tegnsett', 'GSM-7'],
      ['Antall deler', '1'],
    ]);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Tilbake' }).click();
    await page.getByRole('tab', { name: 'Dokumentsenter', selected: true }).waitFor();
  });

  it('works by keyboard alone: search, open a customer, save a change, open a sent copy', async () => {
    const page = await s.newPage();
    await signIn(page, s.web.appUrl, undefined, '/customers');
    await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
    await tabTo(page, (text) => text === 'Hopp til innholdet');
    await page.keyboard.press('Enter');
    await tabTo(page, (text) => text === 'Ny kunde');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.type('Fjo');
    await expect.poll(() => names(page)).toEqual(['Fjord Bakeri AS']);
    await tabTo(page, (text) => text === 'Fjord Bakeri AS');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fjord Bakeri AS', level: 1 }).waitFor();

    await tabTo(page, (text) => text === 'Opplysninger');
    await tabTo(page, () => true);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('Fjord Bakeri AS');
    await tabTo(page, () => true); // e-mail
    await tabTo(page, () => true); // mobile
    await tabTo(page, () => true); // organisation number
    await tabTo(page, () => true); // customer number
    await page.keyboard.type('500');
    await tabTo(page, (text) => text === 'Lagre endringer');
    await page.keyboard.press('Enter');
    await page.getByText('Endringene er lagret.').waitFor();

    // The tabs move with the arrow keys; the document center's first copy opens with Enter.
    await tabTo(page, (text) => text === 'Opplysninger', 40, 'Shift+Tab');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Dokumentsenter', selected: true }).waitFor();
    await tabTo(page, (text) => text.startsWith('Åpne kopien sendt'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sendt kopi', level: 1 }).waitFor();
    expect((await getCustomer(s.stack.ports, DEMO_TENANT, ids['Fjord Bakeri AS']!)).customerNumber).toBe('500');
  });
});
