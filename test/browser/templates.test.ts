import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { createTask, getTask, setTaskStatus, updateTask } from '../../shared/use-cases/tasks.ts';
import { createTemplate, getTemplate, updateTemplate } from '../../shared/use-cases/templates.ts';
import { expectAccessible, FIXED_NOW, screenshot, signIn, startWebStack, type WebStack, putTestFirm } from './web-stack.ts';

/**
 * The templates screens on a firm of their own: a template made and named, a task made from
 * it, the template applied to the register's filtered tasks as a background job (a double
 * click, a task changed meanwhile), and what a user meets when a save is refused. The stack's
 * clock stands still, so a job runs only when the test moves it (`runDueAt`).
 */
const TENANT = 'templates';
const NOTICE = { when: 'before' as const, offset: 'P7D', channels: ['email' as const], subject: 'MVA', message: 'Hei {{kunde.navn}}' };
let s: WebStack;
const customers = { bakery: '', workshop: '' };

beforeAll(async () => {
  s = await startWebStack();
  const { ports } = s.stack;
  await putTestFirm(ports, TENANT);
  const optIn = { email: true, sms: true };
  customers.bakery = (await createCustomer(ports, TENANT, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example', optIn })).id;
  customers.workshop = (await createCustomer(ports, TENANT, { name: 'Øvre Verksted ANS', email: 'regnskap@ovreverksted.example', optIn })).id;
});
afterAll(async () => {
  expect(s.offLoopback).toEqual([]);
  await s?.stop();
});

async function open(path: string): Promise<Page> {
  const page = await s.newPage();
  await signIn(page, s.web.appUrl, TENANT, path);
  return page;
}
const focusedText = (page: Page) => page.evaluate(() => (document.activeElement?.textContent ?? '').trim());
/** Polls long enough for a reload or a job's next read (every second). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

describe('the templates screens', () => {
  it('creates a template: a merge-code typo is refused at the message, the name is required, the list shows it', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'Varselmaler' }).click();
    await page.getByRole('heading', { name: 'Varselmaler', level: 1 }).waitFor();
    await page.getByText('Ingen varselmaler ennå.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Ny varselmal' }).click();
    await page.getByRole('heading', { name: 'Ny varselmal', level: 1 }).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Hvor lenge').fill('7');
    await page.getByLabel('Emne (e-post)').fill('MVA-melding');
    await page.getByLabel('Melding').fill('Hei {{kunde.navnet}}');
    await page.getByText('Ukjent flettekode {{kunde.navnet}}.').waitFor();
    expect(await page.getByLabel('Melding').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Melding').fill('Hei {{kunde.navn}}, fristen er {{oppgave.frist}}.');
    // No name yet: refused at the name, which takes the keyboard.
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Er for kort.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Navn' }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id)).toBe(
      await page.getByRole('textbox', { name: 'Navn' }).getAttribute('id'),
    );
    await page.getByRole('textbox', { name: 'Navn' }).fill('MVA-standard');
    await page.getByRole('button', { name: 'Lagre varsel' }).click();

    await page.getByRole('heading', { name: 'MVA-standard', level: 1 }).waitFor();
    await page.getByText('Varselmalen er opprettet.').waitFor();
    expect(await focusedText(page)).toBe('MVA-standard');
    await page.getByText('7 dager før fristen, kl. 09:00, e-post').waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Alle varselmaler' }).click();
    const row = page.getByRole('row', { name: /MVA-standard/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'MVA-standard',
      '7 dager før fristen, kl. 09:00, e-post',
      '1',
      expect.stringMatching(/^\d\d\.\d\d\.\d{4} \d\d:\d\d$/),
    ]);
    await screenshot(page, 'templates-list.png');
  });

  it("makes a task from a template: the server's refusal (notices need a deadline) lands at the date; the task page names the template and version", async () => {
    const template = await createTemplate(s.stack.ports, TENANT, { name: 'Årsoppgjør', notices: [NOTICE] });
    const page = await open('/tasks/new');
    await page.getByRole('heading', { name: 'Ny oppgave', level: 1 }).waitFor();
    await page.getByLabel('Tittel').fill('Årsoppgjør 2026');
    await page.getByRole('combobox', { name: 'Kunde' }).fill('Fjord');
    await page.getByRole('option', { name: 'Fjord Bakeri AS' }).click();
    await page.getByRole('combobox', { name: 'Fra varselmal' }).click();
    await page.getByRole('option', { name: 'Årsoppgjør', exact: true }).click();
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    // Only the server sees the template's notices: its 422 on `notices` shows at the deadline.
    await page.getByText('Varsler krever at oppgaven har en frist.').waitFor();
    expect(await page.getByLabel('Fristdato', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await page.getByLabel('Fristdato', { exact: true }).pressSequentially('31.05.2027');
    await page.getByRole('button', { name: 'Opprett oppgave' }).click();
    await page.getByRole('heading', { name: 'Årsoppgjør 2026', level: 1 }).waitFor();
    await page.getByTestId('task-template').getByRole('link', { name: 'Årsoppgjør' }).waitFor();
    expect(await page.getByTestId('task-template').textContent()).toBe('Varslene følger malen Årsoppgjør (versjon 1).');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const task = await getTask(s.stack.ports, TENANT, id);
    expect(task.template).toMatchObject({ id: template.id, version: 1 });
    expect(task.notices.map((n) => n.message)).toEqual([NOTICE.message]);

    // The template moves on: the task says so, and stays as it was.
    await updateTemplate(s.stack.ports, TENANT, template.id, { name: 'Årsoppgjør', notices: [{ ...NOTICE, offset: 'P14D' }], version: 1 });
    await page.reload();
    await page.getByText('Malen er endret siden (versjon 2)', { exact: false }).waitFor();
    await expectAccessible(page);
  });

  it("applies a template to the register's filtered tasks: counted first, a double click starts one job, the job finishes with its counts and reports the task changed meanwhile", async () => {
    const { ports } = s.stack;
    const template = await createTemplate(ports, TENANT, { name: 'Lønn', notices: [NOTICE] });
    const task = (title: string) => createTask(ports, TENANT, { title, customerId: customers.workshop, deadline: '2027-03-15', notices: [] });
    const open4 = [await task('Lønn januar'), await task('Lønn februar'), await task('Lønn mars'), await task('Lønn april')];
    const done = await task('Lønn desember');
    await setTaskStatus(ports, TENANT, done.id, 'completed');

    const page = await open('/');
    await page.getByRole('combobox', { name: 'Kunde' }).fill('Øvre');
    await page.getByRole('option', { name: 'Øvre Verksted ANS' }).click();
    await page.getByRole('link', { name: 'Lønn april' }).waitFor();
    // The filter lands in the address bar in a transition: the link carries it once the register has re-rendered.
    const applyLink = page.getByRole('link', { name: 'Bruk en varselmal på oppgavene i listen …' });
    await expect.poll(() => applyLink.getAttribute('href')).toContain(`customerId=${customers.workshop}`);
    await applyLink.click();
    await page.getByText('Velg malen som oppgavene i registeret skal få.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Lønn', exact: true }).click();
    await page.getByRole('heading', { name: 'Bruk «Lønn» på oppgaver', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('customerId')).toBe(customers.workshop);
    await page.getByTestId('apply-count').getByText('4 oppgaver endres (5 passer filtrene, 1 hoppes over', { exact: false }).waitFor();
    await expectAccessible(page);

    const keys: string[] = [];
    const jobIds: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/apply')) keys.push(request.headers()['idempotency-key'] ?? '');
    });
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && response.url().endsWith('/apply'))
        void response.json().then(
          (job: { id: string }) => jobIds.push(job.id),
          () => jobIds.push('unreadable'),
        );
    });
    await page.getByRole('button', { name: 'Bruk malen …' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bruke «Lønn» på oppgavene?' });
    await dialog.getByText('4 oppgaver endres', { exact: false }).waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Bruk malen' }).dblclick();

    await page.getByRole('heading', { name: 'Bakgrunnsjobb', level: 1 }).waitFor();
    expect(await focusedText(page)).toBe('Bakgrunnsjobb');
    await page.getByTestId('job-state').getByText('I kø').waitFor();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
    await poll(() => jobIds.length).toBe(keys.length);
    expect(new Set(jobIds)).toEqual(new Set([new URL(page.url()).pathname.split('/').pop()]));

    // Someone saves a task after the job started and before it reaches it: reported, not overwritten.
    const later = new Date(FIXED_NOW.getTime() + 60_000);
    s.setNow(later);
    const changed = await getTask(ports, TENANT, open4[1]!.id);
    await updateTask(ports, TENANT, changed.id, {
      title: 'Lønn februar (rettet)',
      customerId: customers.workshop,
      deadline: '2027-03-15',
      notices: [],
      version: changed.version,
    });
    await s.runDueAt(later);

    await page.getByTestId('job-outcome').getByText('Jobben er ferdig: 3 endret, 1 hoppet over, 1 feilet.').waitFor();
    await page.getByTestId('job-state').getByText('Ferdig').waitFor();
    const problem = page.getByRole('row', { name: /Lønn februar \(rettet\)/ });
    await problem.getByRole('link', { name: 'Lønn februar (rettet)' }).waitFor();
    expect((await problem.getByRole('cell').allTextContents()).slice(1, 3)).toEqual(['Feilet', 'changed']);
    await expectAccessible(page);
    await screenshot(page, 'templates-job.png');

    const after = await Promise.all([...open4, done].map((t) => getTask(ports, TENANT, t.id)));
    expect(after.map((t) => t.template?.id ?? null)).toEqual([template.id, null, template.id, template.id, null]);
    expect(after.map((t) => t.notices.length)).toEqual([1, 0, 1, 1, 0]);
  });

  it('an answer lost on the way: confirming again gets the job the first request started', async () => {
    const { ports } = s.stack;
    const template = await createTemplate(ports, TENANT, { name: 'Aksjonærregister', notices: [NOTICE] });
    const one = await createTask(ports, TENANT, { title: 'Aksjonærregister 2026', customerId: customers.bakery, deadline: '2027-01-31', notices: [] });
    const page = await open(`/templates/${template.id}/apply?customerId=${customers.bakery}&status=open`);
    await page.getByRole('heading', { name: 'Bruk «Aksjonærregister» på oppgaver', level: 1 }).waitFor();
    // The first request reaches the API and starts the job; its answer never reaches the browser.
    const sent: { key: string; jobId?: string }[] = [];
    await page.route('**/templates/*/apply', async (route) => {
      const key = route.request().headers()['idempotency-key'] ?? '';
      if (sent.length > 0) {
        sent.push({ key });
        return route.continue();
      }
      const response = await route.fetch();
      sent.push({ key, jobId: ((await response.json()) as { id: string }).id });
      return route.abort('connectionreset');
    });
    await page.getByRole('button', { name: 'Bruk malen …' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Bruk malen' }).click();
    await page.getByText('Fikk ikke kontakt med Frist.', { exact: false }).waitFor();
    await poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('button', { name: 'Bruk malen …' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Bruk malen' }).click();
    await page.getByRole('heading', { name: 'Bakgrunnsjobb', level: 1 }).waitFor();
    expect(sent.map((r) => r.key)).toEqual([sent[0]!.key, sent[0]!.key]);
    expect(new URL(page.url()).pathname).toBe(`/jobs/${sent[0]!.jobId}`);
    await s.runDueAt(new Date(FIXED_NOW.getTime() + 120_000));
    await page.getByTestId('job-outcome').getByText('Jobben er ferdig:', { exact: false }).waitFor();
    const saved = await getTask(ports, TENANT, one.id);
    expect([saved.version, saved.template?.id]).toEqual([2, template.id]);
  });

  it("pages a job's problems; a task that is not there is named by its id", async () => {
    const template = await createTemplate(s.stack.ports, TENANT, { name: 'Purring', notices: [NOTICE] });
    const ids = Array.from({ length: 30 }, (_, i) => `gone-${String(i).padStart(2, '0')}`);
    const token = await s.stack.token(TENANT);
    const response = await fetch(`${s.stack.apiUrl}/templates/${template.id}/apply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ taskIds: ids }),
    });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { id: string };
    await s.runDueAt(new Date(FIXED_NOW.getTime() + 180_000));

    const page = await open(`/jobs/${job.id}`);
    await page.getByTestId('job-outcome').getByText('Jobben er ferdig: 0 endret, 30 hoppet over, 0 feilet.').waitFor();
    const firstCells = () => page.locator('table tbody tr td:first-child').allTextContents();
    await poll(firstCells).toHaveLength(25);
    const first = await firstCells();
    expect(first.every((text) => text.startsWith('gone-'))).toBe(true);
    // Each row asked for its task; none is there, so none becomes a link.
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('row', { name: /gone-/ }).first().getByRole('link').count()).toBe(0);
    await page.getByRole('button', { name: 'Neste side' }).click();
    await page.getByText('Side 2').waitFor();
    await poll(firstCells).toHaveLength(5);
    expect(new Set([...first, ...(await firstCells())])).toEqual(new Set(ids));
    await expectAccessible(page);
  });

  it('a filter the API refuses (from after to) is said at its field, and nothing starts', async () => {
    const template = await createTemplate(s.stack.ports, TENANT, { name: 'Bilag', notices: [NOTICE] });
    const page = await open(`/templates/${template.id}/apply?deadlineFrom=2027-03-01&deadlineTo=2027-02-01`);
    await page.getByRole('heading', { name: 'Bruk «Bilag» på oppgaver', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Bruk malen …' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Bruk malen' }).click();
    const to = page.getByLabel('Frist til', { exact: true });
    await poll(() => to.getAttribute('aria-invalid')).toBe('true');
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/templates/${template.id}/apply`);
    await expectAccessible(page);
  });

  it('edits a template changed meanwhile: the conflict is said, reloaded, saved; delete asks first', async () => {
    const { ports } = s.stack;
    const template = await createTemplate(ports, TENANT, { name: 'Skattemelding', notices: [NOTICE] });
    const page = await open(`/templates/${template.id}`);
    await page.getByRole('heading', { name: 'Skattemelding', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Legg til varsel' }).click();
    await page.getByLabel('Emne (e-post)').fill('Påminnelse');
    await page.getByLabel('Melding').fill('Hei igjen {{kunde.navn}}');
    await updateTemplate(ports, TENANT, template.id, { name: 'Skattemelding AS', notices: [NOTICE], version: 1 });
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Noen andre har endret dette').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Hent siste versjon' }).click();
    await page.getByRole('heading', { name: 'Skattemelding AS', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Lagre varsel' }).click();
    await page.getByText('Varslene er lagret.').waitFor();
    expect((await getTemplate(ports, TENANT, template.id)).notices).toHaveLength(2);

    // The name by keyboard: a too-long name is stopped in the browser.
    await page.getByRole('textbox', { name: 'Navn' }).fill('x'.repeat(201));
    await page.getByText('Er for lang.').waitFor();
    await page.getByRole('textbox', { name: 'Navn' }).fill('Skattemelding for AS');
    await page.getByRole('textbox', { name: 'Navn' }).press('Enter');
    await page.getByRole('heading', { name: 'Skattemelding for AS', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Slett malen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Slette varselmalen?' });
    await dialog.getByText('«Skattemelding for AS» slettes.', { exact: false }).waitFor();
    await expectAccessible(page);
    expect(await focusedText(page)).toBe('Avbryt');
    await dialog.getByRole('button', { name: 'Slett' }).click();
    await page.getByRole('heading', { name: 'Varselmaler', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'MVA-standard' }).waitFor();
    expect(await page.getByRole('link', { name: 'Skattemelding for AS' }).count()).toBe(0);
  });
});
