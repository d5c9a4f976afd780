import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { dataPaths } from '../local/local-data.ts';
import { startLocalStack } from '../local/local-stack.ts';
import { startLocalWeb } from '../local/local-web.ts';
import { ensureWebBuild, WEB_DIST } from '../local/web-build.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { createTask } from '../shared/use-cases/tasks.ts';
import { percentile } from './http-calls.ts';

const CHROMIUM = '/usr/bin/chromium';

export interface FirstScreenJs {
  files: { file: string; gzipKb: number }[];
  rawKb: number;
  gzipKb: number;
}

/**
 * The JavaScript the first screen loads, from web/dist/index.html: its module script, its
 * modulepreload links, and every chunk those import statically (`import … from "./x.js"`),
 * followed through. Chunks reached only by `import()` (the lazy routes) are left out.
 */
export async function firstScreenJs(): Promise<FirstScreenJs> {
  // Always a fresh build: an older one may have been made from other sources.
  await ensureWebBuild((line) => console.log(line), { force: true });
  const html = await readFile(join(WEB_DIST, 'index.html'), 'utf8');
  const entries = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  const seen = new Set<string>();
  const files: FirstScreenJs['files'] = [];
  let raw = 0;
  const visit = async (path: string) => {
    const name = path.replace(/^\//, '');
    if (seen.has(name)) return;
    seen.add(name);
    const code = await readFile(join(WEB_DIST, name));
    raw += code.length;
    files.push({ file: name, gzipKb: gzipSync(code, { level: 9 }).length / 1024 });
    // Static imports only: `import{…}from"./x.js"` and `import"./x.js"`, not `import("./x.js")`.
    for (const match of code.toString('utf8').matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
      await visit(join('assets', match[1]!).replace(/\\/g, '/'));
    }
  };
  for (const entry of entries) await visit(entry);
  return { files, rawKb: raw / 1024, gzipKb: files.reduce((sum, f) => sum + f.gzipKb, 0) };
}

export interface RegisterLoad {
  tasks: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  samples: number[];
}

/**
 * The time from navigation to the register's first row, for a firm with `count` tasks on the
 * local stack (seeded through the use cases), in Debian's Chromium: signed in once, then
 * `runs` navigations to `/`, each a fresh load of the app from its origin (warm HTTP cache).
 */
export async function registerLoad(count: number, runs: number): Promise<RegisterLoad> {
  const tenant = 'bench-web';
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-web-'));
  let apiUrl = '';
  const web = await startLocalWeb({ jwtKeyFile: dataPaths(dataDir).jwtKey, tenantClaim: 'tenant_id', defaultTenant: tenant, apiUrl: () => apiUrl });
  const stack = await startLocalStack({ port: 0, dataDir, corsOrigins: [web.appUrl], env: { LOG_LEVEL: 'SILENT' } });
  apiUrl = stack.apiUrl;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
  try {
    const customers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        createCustomer(stack.ports, tenant, { name: `Kunde ${i} AS`, email: `kunde${i}@example.no`, optIn: { email: true, sms: false } }),
      ),
    );
    const start = Date.now();
    for (let i = 0; i < count; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) => {
          const n = i + j;
          const deadline = new Date(start + (n + 1) * 3_600_000).toISOString().slice(0, 10);
          return createTask(stack.ports, tenant, { title: `Oppgave ${n}`, customerId: customers[n % customers.length]!.id, deadline, notices: [] });
        }),
      );
    }
    const page = await (await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${web.appUrl}/`);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.locator('table tbody tr').first().waitFor({ timeout: 60_000 });
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      const begin = performance.now();
      await page.goto(`${web.appUrl}/`);
      await page.locator('table tbody tr').first().waitFor({ timeout: 60_000 });
      samples.push(performance.now() - begin);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return { tasks: count, runs, medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), samples };
  } finally {
    await browser.close();
    await web.stop();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
