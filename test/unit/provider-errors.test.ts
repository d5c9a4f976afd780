import { MessageRejected, NotFoundException, SendingPausedException, SESv2ServiceException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { classifySesError, classifySmsFailure, DETAIL_MAX, redactContactData, toDeliveryError } from '../../shared/adapters/provider-errors.ts';

/**
 * The errors below have the shapes the SDK and fetch really throw; each was provoked against
 * a loopback server (see test/integration/provider-calls.test.ts for the ones that can be
 * provoked in a test run).
 */
const metadata = (httpStatusCode?: number) => ({ ...(httpStatusCode ? { httpStatusCode } : {}), attempts: 1, totalRetryDelay: 0 });

/** An error SES answered: the SDK's modelled class, or SESv2ServiceException named after `x-amzn-errortype`. */
function sesAnswer(status: number, name: string, message = `SES says ${name}`) {
  const fault = status >= 500 ? 'server' : 'client';
  const options = { message, $fault: fault, $metadata: metadata(status) } as const;
  const modelled = { MessageRejected, NotFoundException, SendingPausedException, TooManyRequestsException }[name];
  return modelled ? new modelled(options) : new SESv2ServiceException({ ...options, name });
}

const nodeError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('an SES error with an HTTP status: SES answered, so nothing was sent', () => {
  it.each([
    [400, 'ThrottlingException', true, 'ses-throttled'],
    [429, 'TooManyRequestsException', true, 'ses-throttled'],
    [400, 'LimitExceededException', true, 'ses-limit-exceeded'],
    [500, 'InternalFailure', true, 'ses-internal-error'],
    [500, 'InternalServiceErrorException', true, 'ses-internal-error'],
    [503, 'ServiceUnavailable', true, 'ses-unavailable'],
    [400, 'MessageRejected', false, 'ses-message-rejected'],
    [400, 'BadRequestException', false, 'ses-bad-request'],
    [400, 'MailFromDomainNotVerifiedException', false, 'ses-mail-from-not-verified'],
    [404, 'NotFoundException', false, 'ses-not-found'],
    [403, 'AccessDeniedException', false, 'ses-access-denied'],
    [400, 'SendingPausedException', false, 'ses-sending-paused'],
    [400, 'AccountSuspendedException', false, 'ses-account-suspended'],
  ])('%i %s: transient %s, %s', (status, name, transient, code) => {
    expect(classifySesError(sesAnswer(status, name))).toEqual({
      transient,
      outcome: 'not-sent',
      code,
      detail: `SES answered ${status} ${name}: SES says ${name}`,
    });
  });

  it('goes by the status for an error it does not know: 429 and 5xx transient, other 4xx permanent', () => {
    expect(classifySesError(sesAnswer(429, 'SlowDown'))).toMatchObject({ transient: true, outcome: 'not-sent', code: 'ses-http-429' });
    expect(classifySesError(sesAnswer(502, '', 'Bad Gateway'))).toMatchObject({
      transient: true,
      code: 'ses-http-502',
      detail: 'SES answered 502 without an error name: Bad Gateway',
    });
    expect(classifySesError(sesAnswer(403, 'UnrecognizedClientException'))).toMatchObject({ transient: false, code: 'ses-http-403' });
  });
});

describe('an SES error without an answer', () => {
  it.each([
    ['the port is closed', nodeError('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', syscall: 'connect' }), 'not-sent', 'connection-refused'],
    ['the host is unknown', nodeError('getaddrinfo ENOTFOUND email.invalid', { code: 'ENOTFOUND', syscall: 'getaddrinfo' }), 'not-sent', 'dns-failure'],
    [
      'DNS fails for now',
      nodeError('getaddrinfo EAI_AGAIN email.eu-north-1.amazonaws.com', { code: 'EAI_AGAIN', syscall: 'getaddrinfo' }),
      'not-sent',
      'dns-failure',
    ],
    [
      'no connection within the connection timeout',
      nodeError('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.', {
        name: 'TimeoutError',
      }),
      'not-sent',
      'connect-timeout',
    ],
    ['the network is unreachable', nodeError('connect ENETUNREACH 10.0.0.1:443', { code: 'ENETUNREACH', syscall: 'connect' }), 'not-sent', 'connect-failed'],
    [
      'the request timeout ran out',
      nodeError('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 10000 ms requestTimeout.', {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
      'unknown',
      'timeout',
    ],
    ['the connection was reset after the request', nodeError('socket hang up', { name: 'TimeoutError', code: 'ECONNRESET' }), 'unknown', 'connection-reset'],
    [
      'the socket idled out',
      nodeError('@smithy/node-http-handler - the request socket timed out after 300000 ms of inactivity', { name: 'TimeoutError' }),
      'unknown',
      'timeout',
    ],
    ['something unforeseen', new TypeError('Cannot read properties of undefined'), 'unknown', 'network-error'],
  ])('%s: transient, %s (%s)', (_story, error, outcome, code) => {
    Object.assign(error, { $metadata: metadata() });
    expect(classifySesError(error)).toMatchObject({ transient: true, outcome, code, detail: expect.stringMatching(/^SES did not answer/) });
  });

  it('calls a 200 whose body broke off unknown: SES most likely has the e-mail', () => {
    const error = nodeError('aborted\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', {
      code: 'ECONNRESET',
      $metadata: metadata(200),
    });
    expect(classifySesError(error)).toEqual({
      transient: true,
      outcome: 'unknown',
      code: 'response-unreadable',
      detail:
        'SES answered 200, but the answer could not be read: Error ECONNRESET: aborted Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
    });
  });
});

describe('an SMS failure', () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
  ])('an answer %i: transient %s, nothing sent', (status, transient) => {
    expect(classifySmsFailure({ kind: 'status', status, text: 'no' })).toEqual({
      transient,
      outcome: 'not-sent',
      code: `sms-http-${status}`,
      detail: `the SMS gateway answered ${status}: no`,
    });
  });

  it("a refusal in a 200 (Sveve's way) is permanent and sent nothing", () => {
    expect(classifySmsFailure({ kind: 'refused', text: 'Feil brukernavn/passord' })).toEqual({
      transient: false,
      outcome: 'not-sent',
      code: 'sms-refused',
      detail: 'the SMS gateway refused the SMS: Feil brukernavn/passord',
    });
  });

  it('fetch failing to connect sent nothing', () => {
    const error = new TypeError('fetch failed', { cause: nodeError('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', syscall: 'connect' }) });
    expect(classifySmsFailure({ kind: 'no-answer', error })).toEqual({
      transient: true,
      outcome: 'not-sent',
      code: 'connection-refused',
      detail: 'the SMS gateway did not answer (connection-refused): Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('our timeout, or the gateway closing the connection, leaves the outcome unknown', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const closed = new TypeError('fetch failed', { cause: nodeError('other side closed', { name: 'SocketError', code: 'UND_ERR_SOCKET' }) });
    expect(classifySmsFailure({ kind: 'no-answer', error: timeout })).toMatchObject({ transient: true, outcome: 'unknown', code: 'timeout' });
    expect(classifySmsFailure({ kind: 'no-answer', error: closed })).toMatchObject({ transient: true, outcome: 'unknown', code: 'connection-reset' });
  });

  it('a 200 whose body is lost leaves the outcome unknown', () => {
    const error = new TypeError('terminated', { cause: nodeError('other side closed', { name: 'SocketError', code: 'UND_ERR_SOCKET' }) });
    expect(classifySmsFailure({ kind: 'unreadable', status: 200, error })).toMatchObject({ transient: true, outcome: 'unknown', code: 'response-unreadable' });
  });
});

describe('SES quota answers of the v2 API', () => {
  // SES v2 answers the sending rate with 429 TooManyRequestsException; the day's quota, should it
  // come under that name too, is still told apart by its message, as under ThrottlingException.
  it('reads "Daily message quota exceeded" as the daily quota under either name, and the rate as a throttle', () => {
    for (const [status, name] of [
      [400, 'ThrottlingException'],
      [429, 'TooManyRequestsException'],
    ] as const) {
      expect(classifySesError(sesAnswer(status, name, 'Daily message quota exceeded.'))).toMatchObject({ transient: true, code: 'ses-daily-quota' });
      expect(classifySesError(sesAnswer(status, name, 'Maximum sending rate exceeded.'))).toMatchObject({ transient: true, code: 'ses-throttled' });
    }
  });
});

describe('the DeliveryError adapters throw', () => {
  it('carries the classification, with the detail as its message and no cause', () => {
    const error = toDeliveryError(classifySesError(sesAnswer(400, 'ThrottlingException', 'Maximum sending rate exceeded.')));
    expect(error).toMatchObject({
      name: 'DeliveryError',
      transient: true,
      outcome: 'not-sent',
      code: 'ses-throttled',
      message: 'SES answered 400 ThrottlingException: Maximum sending rate exceeded.',
    });
    expect(error.cause).toBeUndefined();
  });
});

describe('redactContactData', () => {
  it.each([
    ['ola.nordmann@example.no', '[e-mail]'],
    ['<kari+frist@blåbær.no>', '<[e-mail]>'],
    ['+4791234567', '[phone]'],
    ['+47 912 34 567', '[phone]'],
    ['+46701234567', '[phone]'],
    ['91234567', '[phone]'],
    ['912 34 567', '[phone]'],
    ['91 23 45 67', '[phone]'],
    ['9123 4567', '[phone]'],
    ['004791234567', '[phone]'],
    ['0047 912 34 567', '[phone]'],
  ])('redacts %j', (contact, redacted) => {
    expect(redactContactData(`Invalid recipient ${contact}.`)).toBe(`Invalid recipient ${redacted}.`);
  });

  it('redacts an e-mail address whose local part is a phone number as an e-mail address', () => {
    expect(redactContactData('91234567@sms.example')).toBe('[e-mail]');
  });

  it('leaves ids, times, statuses and ports alone', () => {
    const text = 'task-notice-20270201T080000Z-sms: 429 after 10000 ms from 127.0.0.1:43069, org 912 345 678, id 123456789012';
    expect(redactContactData(text)).toBe(text);
  });

  it('redacts what SES says when an address is not verified', () => {
    const text = 'Email address is not verified. The following identities failed the check in region EU-NORTH-1: varsel@tallogtid.no, ola@nordmann.no';
    expect(classifySesError(sesAnswer(400, 'MessageRejected', text)).detail).toBe(
      'SES answered 400 MessageRejected: Email address is not verified. The following identities failed the check in region EU-NORTH-1: [e-mail], [e-mail]',
    );
  });

  it('bounds a 40,000-character provider text to a one-line detail, quickly', () => {
    const huge = `${'Recipient ola@nordmann.no (tlf 912 34 567) refused.\n'.repeat(800)}`.slice(0, 40_000);
    const started = performance.now();
    const { detail } = classifySmsFailure({ kind: 'status', status: 400, text: huge });
    expect(performance.now() - started).toBeLessThan(200);
    expect(detail.length).toBeLessThanOrEqual(DETAIL_MAX);
    expect(detail).toMatch(/^the SMS gateway answered 400: Recipient \[e-mail\] \(tlf \[phone\]\) refused\. Recipient/);
    expect(detail).toMatch(/…$/);
    expect(detail).not.toMatch(/nordmann|912|\n/);
  });

  it('stays fast on a long run without spaces, which would make a careless pattern backtrack', () => {
    const run = 'a'.repeat(40_000);
    const started = performance.now();
    expect(classifySmsFailure({ kind: 'status', status: 400, text: `${run}@` }).detail.length).toBeLessThanOrEqual(DETAIL_MAX);
    expect(redactContactData(`${'1'.repeat(40_000)}`)).toHaveLength(40_000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
