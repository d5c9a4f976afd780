/**
 * Where a notice's CPU time goes: V8's sampling profiler (node:inspector) over a run of
 * notices, one after another, the samples' self time summed by where the code comes from.
 * The stand-ins run in the same process, so their share is in the profile too, named apart.
 */
import { Session } from 'node:inspector/promises';
import type { NoticeRun } from './dispatch-floor.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's code comes from, by its file, first match wins. */
const PLACES: [string, RegExp][] = [
  ['MIME building (nodemailer)', /node_modules\/nodemailer\//],
  ['validation (zod)', /node_modules\/zod\//],
  ['logging and metrics (Powertools)', /node_modules\/@aws-lambda-powertools\//],
  ['middy', /node_modules\/@middy\//],
  ['AWS SDK (marshalling, signing, HTTP)', /node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|strnum)\//],
  [
    'stand-ins (dynalite, s3rver, SES, SQS)',
    /node_modules\/(dynalite|s3rver|aws-ses-v2-local|level|memdown|abstract-leveldown|encoding-down|deferred-leveldown|lazy|koa|busboy|mailparser|@koa|xmlbuilder|express|body-parser)|\/local\//,
  ],
  ["Frist's code (functions/, shared/)", /\/(functions|shared)\//],
  ['other packages', /node_modules\//],
  ['Node.js internals (http, streams, crypto, buffers)', /^node:|^internal\//],
];

/** Samples left out: the idle process, and the profiler's own work when it stops. */
const NOT_COUNTED = 'not counted';

function placeOf(url: string, functionName: string): string {
  if (url.startsWith('node:inspector') || ['(idle)', '(program)'].includes(functionName)) return NOT_COUNTED;
  if (!url) return functionName === '(garbage collector)' ? 'garbage collection' : 'Node.js internals (http, streams, crypto, buffers)';
  return PLACES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';
}

export interface ProfileShare {
  place: string;
  msPerNotice: number;
}

export interface NoticeProfile {
  places: ProfileShare[];
  /** The functions with the most self time, named with their file. */
  functions: ProfileShare[];
}

/** CPU time per notice by place, from `count` notices numbered from `from`, one after another. */
export async function profileNotices(run: NoticeRun, from: number, count: number): Promise<NoticeProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let i = from; i < from + count; i += 1) await run(i);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  const places = selfTime(profile, count, (n) => placeOf(n.callFrame.url, n.callFrame.functionName));
  const functions = selfTime(profile, count, (n) => (placeOf(n.callFrame.url, n.callFrame.functionName) === NOT_COUNTED ? NOT_COUNTED : functionOf(n))).slice(
    0,
    15,
  );
  return { places, functions };
}

/** `(anonymous)` in `node_modules/nodemailer/lib/mime-node/index.js` -> `(anonymous) nodemailer/lib/mime-node/index.js` */
function functionOf({ callFrame: { functionName, url } }: ProfileNode): string {
  const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(functions|shared|local|bench)\//, '$1/');
  return `\`${functionName || '(anonymous)'}\` ${file}`.trim();
}

/** The samples' time summed by `key` of their node, per notice, most first (NOT_COUNTED left out). */
function selfTime(profile: Profile, count: number, key: (node: ProfileNode) => string): ProfileShare[] {
  const keyOf = new Map(profile.nodes.map((n) => [n.id, key(n)]));
  const micros = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const at = keyOf.get(id)!;
    micros.set(at, (micros.get(at) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...micros]
    .map(([at, us]) => ({ place: at, msPerNotice: us / 1000 / count }))
    .filter((share) => share.place !== NOT_COUNTED)
    .sort((a, b) => b.msPerNotice - a.msPerNotice);
}

/** The floor's and dispatch's CPU per notice, place by place. */
export function profileTable(floor: ProfileShare[], dispatch: ProfileShare[]): string {
  const places = [...new Set([...dispatch, ...floor].map((s) => s.place))];
  const of = (shares: ProfileShare[], at: string) => shares.find((s) => s.place === at)?.msPerNotice ?? 0;
  const total = (shares: ProfileShare[]) => shares.reduce((sum, s) => sum + s.msPerNotice, 0);
  return [
    '| where (self time) | floor ms per notice | dispatch ms per notice | dispatch above the floor |',
    '|---|---|---|---|',
    ...places.map((at) => `| ${at} | ${of(floor, at).toFixed(2)} | ${of(dispatch, at).toFixed(2)} | ${(of(dispatch, at) - of(floor, at)).toFixed(2)} |`),
    `| **CPU in all** | **${total(floor).toFixed(2)}** | **${total(dispatch).toFixed(2)}** | **${(total(dispatch) - total(floor)).toFixed(2)}** |`,
  ].join('\n');
}
