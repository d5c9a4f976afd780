import { describe, expect, it } from 'vitest';
import { DISPATCH_VARIABLES } from '../../shared/composition-dispatch.ts';
import { parseConfig, required } from '../../shared/config.ts';

const BASE = { TABLE_NAME: 'frist' };

describe('the configuration (zod/mini)', () => {
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
