import { describe, expect, it } from 'vitest';
import { DISPATCH_VARIABLES } from '../../shared/composition-dispatch.ts';
import { parseConfig, required } from '../../shared/config.ts';

const BASE = { TABLE_NAME: 'frist' };

describe('the configuration (plain checks)', () => {
  it('fills the defaults and turns text into numbers, flags and lists', () => {
    const config = parseConfig({ ...BASE, MAX_BODY_BYTES: ' 4096 ', S3_FORCE_PATH_STYLE: 'true', SMS_CEILING_COUNTRIES: 'no, se,,dk' });
    expect(config).toMatchObject({
      AWS_REGION: 'eu-north-1',
      LOG_LEVEL: 'INFO',
      MAX_BODY_BYTES: 4096,
      S3_FORCE_PATH_STYLE: true,
      POWERTOOLS_METRICS_DISABLED: false,
    });
    expect(config.SMS_CEILING_COUNTRIES).toEqual(['NO', 'SE', 'DK']);
    expect(parseConfig(BASE).SMS_CEILING_COUNTRIES).toEqual(['NO', 'SE', 'DK', 'FI', 'IS']);
    expect(config.DOCUMENT_BUCKET).toBeUndefined();
  });

  it.each([
    ['TABLE_NAME', ''],
    ['MAX_BODY_BYTES', '2048.5'],
    ['MAX_BODY_BYTES', '1023'],
    ['MAX_BODY_BYTES', 'many'],
    ['LOG_LEVEL', 'TRACE'],
    ['S3_FORCE_PATH_STYLE', 'yes'],
    ['DYNAMODB_ENDPOINT', 'not a url'],
    ['DISPATCH_QUEUE_ARN', 'dispatch'],
    ['WEBHOOK_LOCAL_RECEIVER', 'http://localhost:9000'],
    ['SMS_DEFAULT_SENDER', '123456789012'],
    ['EMAIL_DEFAULT_FROM', 'nobody'],
    ['SECRETS_PREFIX', 'a prefix'],
  ])('refuses %s=%j with a message that names it', (name, value) => {
    expect(() => parseConfig({ ...BASE, [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name}: \\S`));
  });

  // One case per kind of check, with the message zod gave for it (docs/decisions.md, "Cold start:
  // plain checks of the configuration and the message").
  it.each([
    ['TABLE_NAME', undefined, 'TABLE_NAME: Invalid input: expected string, received undefined'],
    ['TABLE_NAME', '', 'TABLE_NAME: Too small: expected string to have >=1 characters'],
    ['DOCUMENT_BUCKET', 'a'.repeat(64), 'DOCUMENT_BUCKET: Too big: expected string to have <=63 characters'],
    ['SECRETS_PREFIX', 'a prefix', 'SECRETS_PREFIX: Invalid string: must match pattern /^[A-Za-z0-9/_+=.@-]{1,100}$/'],
    ['DISPATCH_QUEUE_ARN', 'dispatch', 'DISPATCH_QUEUE_ARN: must be an ARN'],
    ['LOG_LEVEL', 'TRACE', 'LOG_LEVEL: Invalid option: expected one of "DEBUG"|"INFO"|"WARN"|"ERROR"|"SILENT"'],
    ['S3_FORCE_PATH_STYLE', 'yes', 'S3_FORCE_PATH_STYLE: Invalid option: expected one of "true"|"false"'],
    ['MAX_BODY_BYTES', 'many', 'MAX_BODY_BYTES: Invalid input: expected number, received NaN'],
    ['MAX_BODY_BYTES', 'Infinity', 'MAX_BODY_BYTES: Invalid input: expected number, received Infinity'],
    ['MAX_BODY_BYTES', '2048.5', 'MAX_BODY_BYTES: Invalid input: expected int, received number'],
    ['MAX_BODY_BYTES', '', 'MAX_BODY_BYTES: Invalid input: expected int from 1024 to 1000000, received blank string'],
    [
      'MAX_BODY_BYTES',
      '99999999999999999999',
      'MAX_BODY_BYTES: Too big: expected int to be <=9007199254740991; MAX_BODY_BYTES: Too big: expected number to be <=1000000',
    ],
    ['DYNAMODB_ENDPOINT', 'not a url', 'DYNAMODB_ENDPOINT: Invalid URL'],
    ['WEBHOOK_LOCAL_RECEIVER', 'nope', 'WEBHOOK_LOCAL_RECEIVER: Invalid URL; WEBHOOK_LOCAL_RECEIVER: must be http://127.0.0.1:<port>'],
    ['EMAIL_DEFAULT_FROM', 'a..b@example.com', 'EMAIL_DEFAULT_FROM: Invalid email address'],
    [
      'SMS_CEILING_COUNTRIES',
      'NO,x,NOR',
      'SMS_CEILING_COUNTRIES.1: must be ISO 3166 country codes such as NO,SE, comma separated; SMS_CEILING_COUNTRIES.2: must be',
    ],
    ['SMS_CEILING_COUNTRIES', Array(251).fill('NO').join(','), 'SMS_CEILING_COUNTRIES: Too big: expected array to have <=250 items'],
  ])('refuses %s=%j: %s', (name, value, message) => {
    expect(() => parseConfig({ ...BASE, [name]: value })).toThrow(`Invalid configuration: ${message}`);
  });

  it('reads each kind as zod did: numbers as JavaScript reads them, URLs trimmed, every problem of every variable', () => {
    const config = parseConfig({
      ...BASE,
      MAX_BODY_BYTES: '0x800',
      RECONCILE_HORIZON_HOURS: '4e0',
      DYNAMODB_ENDPOINT: ' http://127.0.0.1:8000/\t ',
      PACK_TASK_NOTICES: 'false',
      SMS_CEILING_COUNTRIES: '',
    });
    expect(config).toMatchObject({
      MAX_BODY_BYTES: 2048,
      RECONCILE_HORIZON_HOURS: 4,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000/',
      PACK_TASK_NOTICES: false,
      SMS_CEILING_COUNTRIES: [],
    });
    expect(() => parseConfig({ LOG_LEVEL: 'x', SMS_MAX_SEGMENTS: '11' })).toThrow(
      'Invalid configuration: TABLE_NAME: Invalid input: expected string, received undefined; LOG_LEVEL: Invalid option: expected one of "DEBUG"|"INFO"|"WARN"|"ERROR"|"SILENT"; SMS_MAX_SEGMENTS: Too big: expected number to be <=10',
    );
  });

  it('says what is wrong in English, as the classic zod did', () => {
    expect(() => parseConfig({ ...BASE, SES_TIMEOUT_MS: '10001' })).toThrow('SES_TIMEOUT_MS: Too big: expected number to be <=10000');
    expect(() => parseConfig({ ...BASE, SMS_CEILING_COUNTRIES: 'NOR' })).toThrow('SMS_CEILING_COUNTRIES.0: must be ISO 3166 country codes');
    expect(() => parseConfig({})).toThrow('TABLE_NAME: Invalid input: expected string, received undefined');
  });

  it('names a variable this function needs and the deployment left unset', () => {
    expect(() => required(parseConfig(BASE), 'SMS_BASE_URL')).toThrow('SMS_BASE_URL is required here');
    expect(required(parseConfig({ ...BASE, SMS_BASE_URL: 'https://sms.example.com' }), 'SMS_BASE_URL')).toBe('https://sms.example.com');
  });

  it("parses only the variables a function names: dispatch's, still checked, still failing on a missing or bad one", () => {
    const dispatch = parseConfig({ ...BASE, SMS_BASE_URL: 'https://sms.example.com', MAX_BODY_BYTES: 'many', TENANT_CLAIM: '' }, DISPATCH_VARIABLES);
    expect(Object.keys(dispatch).filter((name) => !(DISPATCH_VARIABLES as readonly string[]).includes(name))).toEqual([]);
    expect(dispatch).not.toHaveProperty('MAX_BODY_BYTES');
    expect(dispatch).toMatchObject({
      TABLE_NAME: 'frist',
      SMS_BASE_URL: 'https://sms.example.com',
      SES_TIMEOUT_MS: 10_000,
      SMS_CEILING_COUNTRIES: ['NO', 'SE', 'DK', 'FI', 'IS'],
    });
    expect(() => parseConfig({ ...BASE, SMS_BASE_URL: 'sms' }, DISPATCH_VARIABLES)).toThrow(/^Invalid configuration: SMS_BASE_URL: \S/);
    expect(() => parseConfig({ ...BASE, CLAIM_LEASE_SECONDS: '10' }, DISPATCH_VARIABLES)).toThrow('CLAIM_LEASE_SECONDS: Too small: expected number to be >=30');
    expect(() => parseConfig({}, DISPATCH_VARIABLES)).toThrow('TABLE_NAME: Invalid input: expected string, received undefined');
    // Every function but dispatch parses every variable.
    expect(() => parseConfig({ ...BASE, MAX_BODY_BYTES: 'many' })).toThrow(/^Invalid configuration: MAX_BODY_BYTES: \S/);
  });
});

/** Every variable that holds a whole number, with its bounds. */
const NUMBERS: Record<string, [number, number]> = {
  MAX_BODY_BYTES: [1024, 1_000_000],
  SCHEDULE_MAX_RETRIES: [0, 185],
  SCHEDULE_MAX_EVENT_AGE_SECONDS: [60, 86_400],
  RECONCILE_HORIZON_HOURS: [1, 48],
  RECONCILE_GRACE_MINUTES: [0, 1_440],
  SES_TIMEOUT_MS: [100, 10_000],
  SES_SENDS_PER_SECOND: [1, 10_000],
  SMS_SENDS_PER_SECOND: [1, 10_000],
  SMS_TIMEOUT_MS: [100, 10_000],
  SMS_MAX_SEGMENTS: [1, 10],
  SMS_DEPLOYMENT_PER_DAY: [1, 10_000_000],
  SMS_CEILING_PER_DAY: [1, 100_000],
  SMS_CEILING_PER_NUMBER_PER_HOUR: [1, 100],
  SMS_RAISE_DELAY_HOURS: [0, 168],
  CLAIM_LEASE_SECONDS: [30, 3_600],
};
/** Texts `Number()` reads as 0 for want of digits: empty, blanks, line breaks, a no-break space. */
const BLANKS = ['', ' ', '   ', '\t', '\n', '\r\n', '\u00a0'];

describe('a number variable set to blank text (docs/decisions.md, "Blank is not zero")', () => {
  it.each(Object.entries(NUMBERS).flatMap(([name, [min, max]]) => BLANKS.map((blank) => [name, blank, min, max] as const)))(
    'refuses %s=%j, naming it and its rule, instead of reading 0',
    (name, blank, min, max) => {
      expect(() => parseConfig({ ...BASE, [name]: blank })).toThrow(
        `Invalid configuration: ${name}: Invalid input: expected int from ${min} to ${max}, received blank string`,
      );
    },
  );

  it('is the rule of every variable: set to nothing, each is refused (those above as blank numbers) but the country list', () => {
    // An environment that sets every variable the configuration asks for to nothing, TABLE_NAME aside, and notes which it asked for.
    const asked = new Set<string>();
    const allBlank = new Proxy({}, { get: (_, name: string) => (asked.add(name), name === 'TABLE_NAME' ? 'frist' : '') });
    let message = 'accepted';
    try {
      parseConfig(allBlank);
    } catch (error) {
      message = (error as Error).message;
    }
    const refused = message
      .replace(/^Invalid configuration: /, '')
      .split('; ')
      .map((problem) => /^(\S+): (.*)$/.exec(problem)!.slice(1) as [string, string]);
    const blankNumbers = refused.filter(([, rule]) => rule.endsWith('received blank string')).map(([name]) => name);
    expect(blankNumbers.sort()).toEqual(Object.keys(NUMBERS).sort());
    // The country list alone takes an empty text, as no country: no SMS at all.
    expect(new Set(refused.map(([name]) => name))).toEqual(new Set([...asked].filter((name) => !['TABLE_NAME', 'SMS_CEILING_COUNTRIES'].includes(name))));
    expect(asked.size).toBeGreaterThan(Object.keys(NUMBERS).length + 20);
  });

  it.each([
    ['SMS_RAISE_DELAY_HOURS', '0', 0],
    ['SMS_RAISE_DELAY_HOURS', '-0', 0],
    ['SMS_RAISE_DELAY_HOURS', '+5', 5],
    ['SMS_RAISE_DELAY_HOURS', ' 12 ', 12],
    ['SMS_RAISE_DELAY_HOURS', '\t12\n', 12],
    ['SMS_CEILING_PER_DAY', '0x10', 16],
    ['SMS_CEILING_PER_DAY', '1e3', 1000],
    ['SMS_CEILING_PER_DAY', '1000.0', 1000],
  ])('reads %s=%j as %d, as JavaScript reads a number (unchanged)', (name, text, value) => {
    const read = parseConfig({ ...BASE, [name]: text })[name as 'SMS_RAISE_DELAY_HOURS'];
    expect(Object.is(read, value)).toBe(true);
  });

  it.each([
    ['SMS_RAISE_DELAY_HOURS', 'Infinity', 'Invalid input: expected number, received Infinity'],
    ['SMS_RAISE_DELAY_HOURS', '-Infinity', 'Invalid input: expected number, received -Infinity'],
    ['SMS_RAISE_DELAY_HOURS', '1.5', 'Invalid input: expected int, received number'],
    ['SMS_RAISE_DELAY_HOURS', '-1', 'Too small: expected number to be >=0'],
    ['SMS_RAISE_DELAY_HOURS', '1 2', 'Invalid input: expected number, received NaN'],
    ['SMS_RAISE_DELAY_HOURS', '12h', 'Invalid input: expected number, received NaN'],
    ['SMS_RAISE_DELAY_HOURS', '0x', 'Invalid input: expected number, received NaN'],
  ])('refuses %s=%j: %s (unchanged)', (name, text, message) => {
    expect(() => parseConfig({ ...BASE, [name]: text })).toThrow(`Invalid configuration: ${name}: ${message}`);
  });
});
