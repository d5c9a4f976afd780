import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { Figures } from './figures.ts';
import { downAcrossDueTimes, lostAnswers, outage } from './outages.ts';
import { startReliabilityStack, type ReliabilityStack } from './reliability-stack.ts';
import { completeVersusFire, crashAt, replays, saveRaces } from './scenarios.ts';

/**
 * `npm run reliability`: the reliability cases with more notices than the tests use, each on
 * a fresh local stack, written to docs/reliability.md. Exits non-zero when a notice was lost,
 * a second copy went unflagged, a send started after a completion answered without being
 * reported, or a save left the schedules unlike the plan.
 */

const root = resolve(import.meta.dirname, '..', '..');

async function fresh<T>(run: (stack: ReliabilityStack) => Promise<T>): Promise<T> {
  const stack = await startReliabilityStack();
  try {
    return await run(stack);
  } finally {
    await stack.stop();
  }
}

const started = performance.now();
const rows: Figures[] = [];
rows.push(await fresh((s) => replays(s, 20, 100)));
for (const point of ['before-claim', 'after-claim', 'after-provider', 'after-filing'] as const) rows.push(await fresh((s) => crashAt(s, point, 10)));
rows.push(await fresh((s) => lostAnswers(s, 10)));
for (const dependency of ['ses', 'sms', 's3', 'dynamodb'] as const) rows.push(await fresh((s) => outage(s, dependency, 6, 10)));
const down = await fresh((s) => downAcrossDueTimes(s, 40));
rows.push({ ...down, note: `${down.tooLate} more than 24 h late: too-late` });
const race = await fresh((s) => completeVersusFire(s, 200));
rows.push({ ...race, note: `${race.late} sends started after the answer unreported; ${race.reported} reported in flight` });
const saves = await fresh((s) => saveRaces(s, 20));
const seconds = (performance.now() - started) / 1000;

const problems = [
  ...rows.filter((r) => r.lost > 0).map((r) => `${r.case}: ${r.lost} lost`),
  ...rows.filter((r) => r.duplicated > r.flagged).map((r) => `${r.case}: ${r.duplicated - r.flagged} second copies not flagged`),
  ...(race.late > 0 ? [`${race.late} sends started after a completion answered, unreported`] : []),
  ...saves.details,
];

const table = [
  '| case | due | sent | skipped | failed | lost | duplicated | of which flagged | flagged, single copy | note |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.due} | ${r.sent} | ${r.skipped} | ${r.failed} | ${r.lost} | ${r.duplicated} | ${r.flagged} | ${r.flaggedSingle} | ${r.note ?? ''} |`,
  ),
].join('\n');

const page = `# Reliability

Written by \`npm run reliability\` (test/reliability/report.ts) on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores,
Node ${process.version}, in ${seconds.toFixed(0)} s. Each case runs on a fresh local stack with the
faithful stand-ins (Scheduler → SQS dispatch queue with its visibility timeout and redrive →
dispatch), fault proxies in front of SES, S3 and DynamoDB, the fake SMS gateway, and an
injected clock: hours pass in the clock, not in real time. \`npm test\` runs the same cases
with fewer notices (test/reliability/*.test.ts).

Counts are per occurrence and channel (one notice by e-mail and SMS is two). *Lost* means due
but not final (sent, skipped or failed) at the end: it must be 0. *Duplicated* counts copies
the provider stand-in received beyond the first; each must be *flagged* \`possibleDuplicate\` on
its delivery. *Flagged, single copy* counts deliveries flagged where the provider has one copy:
after a crash between the claim and the provider's answer, Frist cannot know whether the
provider got the message, so it says so.

${table}

Saves: ${saves.runs} runs of three concurrent updates of one version, an update failing in the
Scheduler, an update whose conditional write fails, an \`Idempotency-Key\` reused for another
body and a create whose write fails: ${saves.mismatched} runs ended with a schedule missing, or
one beyond the plan that the reconciler did not remove.

${problems.length ? `**Problems:**\n${problems.map((p) => `- ${p}`).join('\n')}` : 'No notice lost, every second copy flagged, no unreported send after a completion, schedules equal to the plans.'}
`;

await writeFile(resolve(root, 'docs', 'reliability.md'), page);
console.log(page);
if (problems.length) process.exit(1);
