import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.ts';

/**
 * The configuration's plain checks, at their edges: each whole-number variable takes its bounds and
 * refuses one past them, naming itself; a set but empty variable is refused, not taken as unset;
 * and the defaults are those zod's classic build gave (checked here against the list they had).
 */
const BASE = { TABLE_NAME: 'frist' };

const BOUNDS: [string, number, number][] = [
  ['MAX_BODY_BYTES', 1024, 1_000_000],
  ['SCHEDULE_MAX_RETRIES', 0, 185],
  ['SCHEDULE_MAX_EVENT_AGE_SECONDS', 60, 86_400],
  ['RECONCILE_HORIZON_HOURS', 1, 48],
  ['RECONCILE_GRACE_MINUTES', 0, 1_440],
  ['SES_TIMEOUT_MS', 100, 10_000],
  ['SES_SENDS_PER_SECOND', 1, 10_000],
  ['SMS_SENDS_PER_SECOND', 1, 10_000],
  ['SMS_TIMEOUT_MS', 100, 10_000],
  ['SMS_MAX_SEGMENTS', 1, 10],
  ['SMS_DEPLOYMENT_PER_DAY', 1, 10_000_000],
  ['SMS_CEILING_PER_DAY', 1, 100_000],
  ['SMS_CEILING_PER_NUMBER_PER_HOUR', 1, 100],
  ['SMS_RAISE_DELAY_HOURS', 0, 168],
  ['CLAIM_LEASE_SECONDS', 30, 3_600],
];

describe('the configuration at its edges', () => {
  it.each(BOUNDS)('%s takes %i to %i and refuses one past either, naming itself', (name, min, max) => {
    expect(parseConfig({ ...BASE, [name]: String(min) })).toMatchObject({ [name]: min });
    expect(parseConfig({ ...BASE, [name]: String(max) })).toMatchObject({ [name]: max });
    expect(() => parseConfig({ ...BASE, [name]: String(min - 1) })).toThrow(`Invalid configuration: ${name}: Too small: expected number to be >=${min}`);
    expect(() => parseConfig({ ...BASE, [name]: String(max + 1) })).toThrow(`Invalid configuration: ${name}: Too big: expected number to be <=${max}`);
    expect(() => parseConfig({ ...BASE, [name]: `${min}.5` })).toThrow(new RegExp(`^Invalid configuration: ${name}: \\S`));
  });

  it.each([
    'DYNAMODB_ENDPOINT',
    'DISPATCH_QUEUE_URL',
    'DISPATCH_QUEUE_ARN',
    'EMAIL_DEFAULT_FROM',
    'SES_CONFIGURATION_SET',
    'PACK_TASK_NOTICES',
    'DISPATCH_CUSTOMER_HINT',
    'AWS_REGION',
    'SMS_RAISE_DELAY_HOURS',
    'SES_SENDS_PER_SECOND',
  ])('%s set to nothing is refused, not read as unset (nor as 0)', (name) => {
    expect(() => parseConfig({ ...BASE, [name]: '' })).toThrow(new RegExp(`^Invalid configuration: ${name}: \\S`));
  });

  it('refuses a flag that is not exactly true or false, naming it', () => {
    for (const value of ['TRUE', '1', 'yes', ' true']) {
      expect(() => parseConfig({ ...BASE, PACK_TASK_NOTICES: value })).toThrow(/^Invalid configuration: PACK_TASK_NOTICES: Invalid option/);
    }
    expect(parseConfig({ ...BASE, PACK_TASK_NOTICES: 'false' }).PACK_TASK_NOTICES).toBe(false);
  });

  it('names every variable that is wrong, not only the first', () => {
    expect(() => parseConfig({ ...BASE, LOG_LEVEL: 'debug', SMS_MAX_SEGMENTS: '11' })).toThrow(
      /^Invalid configuration: LOG_LEVEL: .*; SMS_MAX_SEGMENTS: Too big/,
    );
  });

  it('has the defaults the classic build had, writes notices packed and names the customer in schedules unless told otherwise', () => {
    expect(parseConfig(BASE)).toEqual({
      TABLE_NAME: 'frist',
      AWS_REGION: 'eu-north-1',
      TENANT_CLAIM: 'tenant_id',
      SECRETS_PREFIX: 'frist/local',
      MAX_BODY_BYTES: 65_536,
      LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_DISABLED: false,
      PACK_TASK_NOTICES: true,
      DISPATCH_CUSTOMER_HINT: true,
      S3_FORCE_PATH_STYLE: false,
      SCHEDULE_GROUP: 'frist',
      SCHEDULE_MAX_RETRIES: 185,
      SCHEDULE_MAX_EVENT_AGE_SECONDS: 86_400,
      RECONCILE_HORIZON_HOURS: 3,
      RECONCILE_GRACE_MINUTES: 15,
      SES_TIMEOUT_MS: 10_000,
      SMS_PROVIDER: 'generic',
      SMS_TIMEOUT_MS: 5_000,
      SMS_MAX_SEGMENTS: 3,
      SMS_DEFAULT_SENDER: 'Frist',
      SMS_DEPLOYMENT_PER_DAY: 10_000,
      SMS_CEILING_PER_DAY: 2_000,
      SMS_CEILING_PER_NUMBER_PER_HOUR: 10,
      SMS_CEILING_COUNTRIES: ['NO', 'SE', 'DK', 'FI', 'IS'],
      SMS_RAISE_DELAY_HOURS: 24,
      CLAIM_LEASE_SECONDS: 90,
    });
  });
});
