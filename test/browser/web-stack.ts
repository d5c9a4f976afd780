import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { seedDemo, DEMO_TENANT } from '../../local/demo-seed.ts';
import { dataPaths } from '../../local/local-data.ts';
import { loadLocalJwt } from '../../local/local-jwt.ts';
import { startLocalStack, type LocalStack } from '../../local/local-stack.ts';
import { startLocalWeb, type LocalWeb } from '../../local/local-web.ts';
import { ensureWebBuild } from '../../local/web-build.ts';
import { SMS_LIMIT_DEFAULTS } from '../../shared/domain/sms-limits.ts';
import type { Clock, Ports } from '../../shared/ports.ts';
import { putSettings } from '../../shared/use-cases/settings.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/**
 * A fixed "now" for the stack (planning, next notice times): the demo firm's dates, and so the
 * screenshots, come out the same on every run. The browser and the tokens use real time.
 */
export const FIXED_NOW = new Date('2027-01-04T08:00:00Z');

export interface WebStack {
  stack: LocalStack;
  web: LocalWeb;
  browser: Browser;
  /** A fresh browser context (its own storage: signed out) whose every request must stay on 127.0.0.1. */
  newPage(options?: { locale?: string }): Promise<Page>;
  /** A bearer token for `tenant`, signed like the local sign-in service's: for calls a test makes to the API itself. */
  token(tenant: string): Promise<string>;
  /**
   * Moves the stack's clock (it starts at FIXED_NOW) and fires what is due by then: schedules,
   * dispatch and jobs messages. Notices go out as on AWS, to the local SES and SMS stand-ins.
   */
  runDueAt(now: Date): Promise<void>;
  /** Requests the app tried to make off loopback (refused); a test expects none. */
  offLoopback: string[];
  /** Moves the stack's clock (FIXED_NOW until then), e.g. past a notice's time before `stack.runDue()`. */
  setNow(now: Date): void;
  stop(): Promise<void>;
}

/**
 * The real local stack (the API on dynalite, the Scheduler emulator, ...) in this process on
 * free ports, the built app on its own origin with the local sign-in service, and Debian's
 * Chromium, headless. Nothing is mocked: the app signs in and calls the API as on AWS.
 */
export async function startWebStack(options: { injectFaults?: boolean } = {}): Promise<WebStack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with apt-get update && apt-get install -y chromium (.ci/run does this)`);
  }
  await ensureWebBuild();
  const dataDir = await mkdtemp(join(tmpdir(), 'frist-web-'));
  let now = FIXED_NOW;
  const clock: Clock = { now: () => new Date(now) };
  const started: { stack?: LocalStack } = {};
  const web = await startLocalWeb({
    jwtKeyFile: dataPaths(dataDir).jwtKey,
    tenantClaim: 'tenant_id',
    defaultTenant: DEMO_TENANT,
    apiUrl: () => started.stack?.apiUrl ?? '',
  });
  // Ids in order of creation: tasks due the same day (listed by id) keep their order, and so do the screenshots.
  let created = 0;
  const ids = { newId: () => String(++created).padStart(16, '0') };
  const stack = (started.stack = await startLocalStack({
    port: 0,
    dataDir,
    clock,
    wrapPorts: (ports) => ({ ...ports, ids }),
    injectFaults: options.injectFaults ?? false,
    corsOrigins: [web.appUrl],
    env: { LOG_LEVEL: 'SILENT' },
  }));
  await seedDemo(stack.ports);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking', '--lang=nb-NO'] });
  const offLoopback: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    stack,
    web,
    browser,
    offLoopback,
    setNow: (next) => {
      now = next;
    },
    token: async (tenant) => (await loadLocalJwt(dataPaths(dataDir).jwtKey)).sign({ tenant_id: tenant, sub: `local-user@${tenant}` }, '1h'),
    runDueAt: async (at) => {
      now = at;
      await started.stack!.runDue();
    },
    newPage: async ({ locale = 'nb-NO' } = {}) => {
      const context = await browser.newContext({ locale, timezoneId: 'America/New_York', viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
        offLoopback.push(url.toString());
        return route.abort();
      });
      return context.newPage();
    },
    stop: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await web.stop();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A firm of a test's own, in Oslo, sending any day, without an SMS account (so an SMS notice is
 * saved with a warning) and with quiet hours for SMS at night.
 */
export async function putTestFirm(ports: Ports, tenant: string): Promise<void> {
  await putSettings(ports, tenant, {
    firm: { name: 'Tall og Tid Regnskap AS', email: 'post@tallogtid.example' },
    timeZone: 'Europe/Oslo',
    emailSender: { from: 'varsel@tallogtid.example', displayName: 'Tall og Tid' },
    smsSenderActivated: false,
    maxLatenessHours: 24,
    sendOn: 'any',
    quietHours: { enabled: true, start: '21:00', end: '08:00' },
    smsLimits: SMS_LIMIT_DEFAULTS,
    version: 0,
  });
}

/** Signs in through the local sign-in page as `tenant` (the demo firm is preselected) and waits for the register. */
export async function signIn(page: Page, appUrl: string, tenant?: string, path = '/'): Promise<void> {
  await page.goto(`${appUrl}${path}`);
  await page.getByRole('heading', { name: 'Logg inn lokalt' }).waitFor();
  if (tenant) await page.getByLabel('Tenant-id').fill(tenant);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL((url) => url.origin === appUrl && !url.pathname.startsWith('/auth/'));
}

/** axe-core on the page as it is: no serious or critical violation (`skipFrames`: leave out frames axe cannot enter, e.g. a sent e-mail in a sandbox). */
export async function expectAccessible(page: Page, options: { skipFrames?: boolean } = {}): Promise<void> {
  let builder = new AxeBuilder({ page });
  // A sandboxed frame runs no script, axe's neither: it would wait for the frame forever.
  if (options.skipFrames) builder = builder.options({ iframes: false }).exclude('iframe');
  await settled(page);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/**
 * Waits until no transition runs and every dialog (modal, popover) is fully opaque: axe reads
 * colours as drawn, and a dialog fading in is drawn half transparent. Mantine's transitions
 * start a frame after mount, so "no transition running" alone is true before the fade begins.
 * An animation that repeats for ever (a loader, a striped progress bar) never ends: it is not
 * a transition, and is not waited for.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const opaque = (element: Element | null): boolean => !element || (getComputedStyle(element).opacity === '1' && opaque(element.parentElement));
    const transition = (a: Animation) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity;
    return !document.getAnimations().some(transition) && [...document.querySelectorAll('[role=dialog]')].every(opaque);
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true, animations: 'disabled', caret: 'hide' });
}

/** A time field (two parts, hours and minutes, named after its label) as the user sees it: `HH:MM`. */
export async function timeShown(page: Page, label: string): Promise<string> {
  const part = (name: string) => page.getByLabel(`${label}, ${name}`, { exact: true }).inputValue();
  return `${await part('timer')}:${await part('minutter')}`;
}

/** A header of the sent e-mail copy on the page (its row in the headers table), as shown. */
export async function copyHeader(page: Page, name: string): Promise<string | undefined> {
  const cell = page.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) }).locator('td');
  return (await cell.textContent({ timeout: 5000 }))?.trim();
}
