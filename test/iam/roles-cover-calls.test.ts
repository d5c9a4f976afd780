import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../local/aws-call-recording.ts';
import { synth } from '../cdk/synth.ts';
import { AWS_CALLS_DIR, readAwsCalls } from './aws-call-log.ts';
import { devNames, FUNCTIONS, LOCAL_TO_DEV, needsOf } from './aws-call-mapping.ts';
import { allows, type Need, type Statement } from './iam-policy.ts';
import { roleStatements } from './template-roles.ts';

// Runs after the integration suites (npm test's second vitest run), from what they recorded.
const calls = readAwsCalls();
const functions = Object.keys(FUNCTIONS) as FunctionName[];
let roles: Record<FunctionName, Statement[]>;
let needs: Record<FunctionName, Map<string, Need>>;
const unmapped: string[] = [];
/** Grants the Lambda service uses for every function itself: its log group and X-Ray. */
const LAMBDA_ITSELF = /^(logs|xray):/;

beforeAll(() => {
  // The dev stage, sending from the domains the suites send from.
  const { json } = synth({ stage: 'dev', sesIdentity: [...new Set(Object.values(LOCAL_TO_DEV.emailDomain))].join(',') });
  roles = Object.fromEntries(functions.map((fn) => [fn, roleStatements(json, FUNCTIONS[fn])])) as typeof roles;
  const dev = devNames(json);
  needs = Object.fromEntries(functions.map((fn) => [fn, new Map()])) as typeof needs;
  for (const call of calls) {
    try {
      for (const need of needsOf(call, dev)) needs[call.fn]?.set(`${need.action} on ${need.resource}`, need);
    } catch (error) {
      unmapped.push(`${call.fn}: ${call.service} ${call.command}: ${(error as Error).message}`);
    }
  }
}, 120_000);

describe("each function's role", () => {
  it('is checked against calls of every function the integration suites ran', () => {
    expect(calls.length, `no AWS calls in ${AWS_CALLS_DIR}: run the integration suites first (npm test does)`).toBeGreaterThan(0);
    expect(
      calls.filter((c) => !functions.includes(c.fn)).map((c) => c.fn),
      'calls of functions the stack does not have',
    ).toEqual([]);
    expect(
      functions.filter((fn) => !calls.some((c) => c.fn === fn)),
      'functions that made no AWS call in the suites',
    ).toEqual([]);
  });

  it('can tell which action and resource every recorded call needs', () => {
    expect([...new Set(unmapped)]).toEqual([]);
  });

  it('allows every call its code made, on the resource it touched', () => {
    const missing = functions.flatMap((fn) => [...needs[fn].entries()].filter(([, need]) => !allows(roles[fn], need)).map(([key]) => `${fn}: ${key}`));
    expect(missing, 'calls the role does not allow (function: action on resource)').toEqual([]);
  });

  it('reports what a role grants and no recorded call used (a report, not a failure)', () => {
    const used = (fn: FunctionName, s: Statement, action: string, resource: string) =>
      [...needs[fn].values()].some((need) => allows([{ ...s, Action: [action], Resource: [resource] }], need));
    const unused = functions.flatMap((fn) =>
      roles[fn].flatMap((s) =>
        s.Action.filter((action) => !LAMBDA_ITSELF.test(action)).flatMap((action) =>
          s.Resource.filter((resource) => !used(fn, s, action, resource)).map((resource) => `${fn}: ${action} on ${resource}`),
        ),
      ),
    );
    // Lambda sends a failed asynchronous event to the dead-letter queue with the function's
    // role, so those sqs grants show here; anything else may be surplus, or untested code.
    if (unused.length) console.info(`Granted, and used by no recorded call:\n  ${unused.join('\n  ')}`);
  });
});
