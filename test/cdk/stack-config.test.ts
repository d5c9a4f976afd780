import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../cdk/stack-config.ts';
import { BASE_CONTEXT } from './synth.ts';

/**
 * The deployment's number keys from `-c key=value` or `FRIST_<KEY>`: read as the functions read
 * their variables, and blank text refused instead of read as 0 (docs/decisions.md, "Blank is
 * not zero"). readStackConfig alone: synth stops at it for a bad value, before any construct.
 */
const read = (context: Record<string, unknown>, env: Record<string, string> = {}) => readStackConfig((key) => ({ ...BASE_CONTEXT, ...context })[key], env);
const refusal = (context: Record<string, unknown>, env: Record<string, string> = {}) => {
  try {
    read(context, env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

/** Every number key, with its bounds; `logRetentionDays` is one of CloudWatch's periods instead. */
const WHOLE_NUMBERS: Record<string, [number, number]> = {
  smsDeploymentPerDay: [1, 10_000_000],
  sesSendsPerSecond: [1, 10_000],
  smsSendsPerSecond: [1, 10_000],
  smsCeilingPerDay: [1, 100_000],
  smsCeilingPerNumberPerHour: [1, 100],
  smsRaiseDelayHours: [0, 168],
  indexUpgradeStep: [0, 6],
  documentsToInfrequentAccessDays: [30, 3650],
  throttleRate: [1, 10_000],
  throttleBurst: [1, 5_000],
};
const BLANKS = ['', ' ', '\t', '\n', '\u00a0'];

describe('a number key of the deployment set to blank text', () => {
  it.each(Object.entries(WHOLE_NUMBERS).flatMap(([key, [min, max]]) => BLANKS.map((blank) => [key, blank, min, max] as const)))(
    'stops synth for -c %s=%j, naming the key and its rule',
    (key, blank, min, max) => {
      expect(refusal({ [key]: blank })).toContain(`\n  ${key}: must be a whole number from ${min} to ${max}, not blank`);
    },
  );

  it('stops synth for a blank logRetentionDays, naming it and its rule', () => {
    for (const blank of BLANKS) {
      expect(refusal({ logRetentionDays: blank })).toMatch(
        /\n {2}logRetentionDays: must be one of CloudWatch's retention periods in days \(1, 3, .*\), not blank$/,
      );
    }
  });

  it('stops synth for a blank FRIST_<KEY> in the environment too', () => {
    expect(refusal({}, { FRIST_SMS_RAISE_DELAY_HOURS: '' })).toContain('\n  smsRaiseDelayHours: must be a whole number from 0 to 168, not blank');
  });

  it('lists every number key above: with every key blank, those and only those say blank is not 0', () => {
    const asked: string[] = [];
    let message = 'accepted';
    try {
      readStackConfig((key) => (asked.push(key), ''), {});
    } catch (error) {
      message = (error as Error).message;
    }
    const blank = [...message.matchAll(/\n {2}(\w+): .*, not blank$/gm)].map((m) => m[1]);
    expect(blank.sort()).toEqual([...Object.keys(WHOLE_NUMBERS), 'logRetentionDays'].sort());
    expect(asked.length).toBeGreaterThan(blank.length + 10);
  });
});

describe('a number key of the deployment, as the functions read a number', () => {
  it.each([
    ['smsRaiseDelayHours', '0', 0],
    ['smsRaiseDelayHours', '-0', 0],
    ['smsRaiseDelayHours', ' 12 ', 12],
    ['smsRaiseDelayHours', 12, 12],
    ['smsCeilingPerDay', '0x10', 16],
    ['smsCeilingPerDay', '1e3', 1000],
    ['logRetentionDays', ' 30 ', 30],
    ['logRetentionDays', 30, 30],
  ])('reads -c %s=%j as %d', (key, value, expected) => {
    expect(Object.is(read({ [key]: value })[key as 'smsRaiseDelayHours'], expected)).toBe(true);
  });

  it.each([
    ['smsRaiseDelayHours', 'Infinity'],
    ['smsRaiseDelayHours', '1.5'],
    ['smsRaiseDelayHours', '-1'],
    ['smsRaiseDelayHours', '169'],
    ['smsRaiseDelayHours', '12h'],
    ['smsRaiseDelayHours', '1e20'],
    // cdk.json may give a value that is not text; z.coerce read true as 1.
    ['smsRaiseDelayHours', true],
    ['smsCeilingPerDay', [5]],
  ])('stops synth for -c %s=%j, naming the key and its rule', (key, value) => {
    const message = refusal({ [key]: value });
    expect(message).toMatch(new RegExp(`\\n {2}${key}: must be a whole number from \\d+ to \\d+$`, 'm'));
    expect(message).not.toContain('not blank');
  });

  it('leaves a key out for its default', () => {
    expect(read({})).toMatchObject({ smsRaiseDelayHours: 24, smsCeilingPerDay: 2_000, throttleRate: 50, logRetentionDays: 14 });
    expect(read({}).indexUpgradeStep).toBeUndefined();
  });
});
