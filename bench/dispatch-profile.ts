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

const STAND_INS = 'stand-ins (dynalite, s3rver, SES, SQS)';

/** Where a function's code comes from, by its file, first match wins. */
const PLACES: [string, RegExp][] = [
  ['MIME building', /node_modules\/nodemailer\/|\/shared\/adapters\/mime-message\.ts/],
  ['validation (zod, shared/checks.ts)', /node_modules\/zod\/|\/shared\/checks\.ts/],
  ['logging and metrics (Powertools)', /node_modules\/@aws-lambda-powertools\//],
  ['middy', /node_modules\/@middy\//],
  ['AWS SDK (marshalling, signing, HTTP)', /node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|strnum)\//],
  [
    STAND_INS,
    /node_modules\/(dynalite|s3rver|aws-ses-v2-local|@?koa[^/]*|[^/]*level[^/]*|lazy|big\.js|mail(parser|split)|libmime|iconv-lite|busboy|express|body-parser|html-to-text|statuses)\/|\/local\//,
  ],
  ["Frist's code (functions/, shared/)", /^(?!.*node_modules).*\/(functions|shared)\//],
  ['other packages', /node_modules\//],
];

/** Node's own code, counted to the package whose code called it; what remains ran from the event loop. */
const INTERNALS = 'Node.js internals, from the event loop (sockets, streams, timers)';

/** Samples left out: the idle process, and the profiler's own work when it stops. */
const NOT_COUNTED = 'not counted';

function placeOf(url: string, functionName: string): string {
  if (url.startsWith('node:inspector') || ['(idle)', '(program)'].includes(functionName)) return NOT_COUNTED;
  if (functionName === '(garbage collector)') return 'garbage collection';
  return PLACES.find(([, pattern]) => pattern.test(url))?.[0] ?? INTERNALS;
}

/**
 * Each node's place: a stand-in's for all that a stand-in calls (the SES stand-in parses
 * mail with nodemailer's code, which is not dispatch's MIME building); else its own, or for
 * Node's code the nearest caller's that has one.
 */
function placesByNode(profile: Profile): Map<number, string> {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const places = new Map<number, string>();
  const placeFor = (node: ProfileNode): string => {
    let place = places.get(node.id);
    if (place) return place;
    const caller = parent.get(node.id);
    const callerPlace = caller ? placeFor(caller) : undefined;
    place = placeOf(node.callFrame.url, node.callFrame.functionName);
    if (callerPlace === STAND_INS || (place === INTERNALS && callerPlace)) place = callerPlace;
    places.set(node.id, place);
    return place;
  };
  for (const node of profile.nodes) placeFor(node);
  return places;
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

/**
 * CPU time per notice by place, from `count` runs numbered from `from`, one after another;
 * each run does `perRun` notices (an SQS event of that many messages).
 */
export async function profileNotices(run: NoticeRun, from: number, count: number, perRun = 1): Promise<NoticeProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let i = from; i < from + count; i += 1) await run(i);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  const placeOfNode = placesByNode(profile);
  const notices = count * perRun;
  const places = selfTime(profile, notices, (n) => placeOfNode.get(n.id)!);
  const functions = selfTime(profile, notices, (n) => (placeOfNode.get(n.id) === NOT_COUNTED ? NOT_COUNTED : functionOf(n))).slice(0, 15);
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
