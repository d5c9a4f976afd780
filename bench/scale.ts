import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { REGISTER_PAGE_CALL_BUDGET, registerScaleBench, registerScaleSection } from './scale-register.ts';
import { reconcilerScaleBench, reconcilerScaleSection } from './scale-reconciler.ts';

/**
 * `npm run bench -- --scale`: the service at the sizes of issue 12, each part on a fresh local
 * stack, written as the "At scale" section of docs/benchmarks.md. The quick run keeps that
 * section as it stands (keptScaleSection), so each run rewrites only its own part of the page.
 */
const HEADING = '## At scale';

/** One part of the suite: measures, then returns its markdown (a `###` heading and what follows). */
export type ScalePart = () => Promise<string>;

export interface ScaleSizes {
  registerTasks: number;
  reconcileTasks: number;
}

/**
 * The parts in the order the page shows them. `burst` is the slot for the burst of 100,000
 * notices with the SES stand-in throttled (`burstBench({ notices, firms, sesRate })`, whose
 * section comes first when it is given).
 */
export function scaleParts(sizes: ScaleSizes, burst?: ScalePart): ScalePart[] {
  const registerSizes = [...new Set([5000, sizes.registerTasks])];
  return [
    ...(burst ? [burst] : []),
    async () => {
      const results = [];
      for (const tasks of registerSizes) results.push(await registerScaleBench(tasks));
      return `### The register\n\n${REGISTER_INTRO}\n\n${registerScaleSection(results)}`;
    },
    async () => `### The reconciler\n\n${reconcilerScaleSection(await reconcilerScaleBench(sizes.reconcileTasks))}`,
  ];
}

const REGISTER_INTRO = `One firm, 200 customers (one big, with a tenth of the tasks; \`<typical>\` is one of the others), seven in ten tasks completed, eight in ten with notices, deadlines over 2026-2027, written through the store adapter's \`putTask\` as a save writes them (planned by \`makePlan\`, their warning marks complete; no schedules: the register reads none). Each filter combination of \`GET /tasks\` through real HTTP: the first page, its DynamoDB calls (the api function's SDK commands), its read units (by DynamoDB's rules, bench/capacity-meter.ts) and the median of ${3} requests; calls are given as a ratio to the budget of ${REGISTER_PAGE_CALL_BUDGET} ("a few", issue 12). Rows "+" have a cursor. Then four filters paged to the end, every task checked against the filter and counted once.`;

/** Runs the parts one after another and returns the whole section, with the machine, the date, the command and the time it took. */
export async function scaleSection(parts: ScalePart[], command: string): Promise<string> {
  const started = performance.now();
  const bodies: string[] = [];
  for (const part of parts) bodies.push(await part());
  const minutes = (performance.now() - started) / 60_000;
  const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`;
  return [
    HEADING,
    '',
    `\`${command}\` (${minutes.toFixed(0)} minutes; ${machine}; the stand-ins in the bench's process). Counts and ratios are what to compare; times were taken on a machine shared with other work and say little beyond their order of magnitude.`,
    '',
    bodies.join('\n\n'),
  ].join('\n');
}

/** The "At scale" section of the page as it stands, or a line saying how to make it. */
export async function keptScaleSection(page: string): Promise<string> {
  const text = await readFile(page, 'utf8').catch(() => '');
  const start = text.indexOf(`\n${HEADING}\n`);
  if (start < 0) return `${HEADING}\n\nNot measured yet: \`npm run bench -- --scale\` writes this section.`;
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start + 1, end < 0 ? undefined : end).trimEnd();
}

/** The page with its "At scale" section replaced by `section` (or added at its end). */
export function withScaleSection(text: string, section: string): string {
  const start = text.indexOf(`\n${HEADING}\n`);
  if (start < 0) return `${text.trimEnd()}\n\n${section}\n`;
  const end = text.indexOf('\n## ', start + 1);
  return `${text.slice(0, start + 1)}${section}\n${end < 0 ? '' : text.slice(end)}`;
}
