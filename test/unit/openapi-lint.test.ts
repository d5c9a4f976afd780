import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/api/openapi.ts';
import { ROUTES } from '../../functions/api/routes.ts';

const run = promisify(execFile);
const cli = join(createRequire(import.meta.url).resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js');
const noNetwork = fileURLToPath(new URL('./no-network.mjs', import.meta.url));

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

/** Runs `redocly lint` on the document in a folder of its own (no redocly.yaml is picked up). */
async function lint(document: unknown): Promise<{ report: LintReport; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'frist-openapi-'));
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document));
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', noNetwork, cli, 'lint', '--extends=recommended', '--format=json', '--lint-config=off', 'openapi.json'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      },
    ).catch((error: { stdout: string; stderr: string }) => error);
    return { report: JSON.parse(stdout) as LintReport, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('/openapi.json under Redocly', () => {
  it('passes the recommended ruleset with no errors and no warnings, offline', async () => {
    const { report, stderr } = await lint(buildOpenApiDocument(ROUTES));
    expect(stderr).not.toContain('NETWORK-ATTEMPT');
    expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('does report a problem (the check is live)', async () => {
    const document = buildOpenApiDocument(ROUTES) as { servers?: unknown };
    delete document.servers;
    const { report } = await lint(document);
    expect(report.problems.map((p) => p.ruleId)).toContain('no-empty-servers');
  });
});
