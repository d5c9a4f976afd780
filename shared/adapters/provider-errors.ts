import type { DeliveryCode } from '../domain/delivery-codes.ts';
import { DeliveryError, type SendOutcome } from '../errors.ts';

/**
 * The one place that says what a failed provider call (one SES SendEmail, one SMS POST)
 * means. Each failure answers two questions:
 * - transient: may a later attempt succeed (throttling, 5xx, the network)? Then dispatch
 *   retries; otherwise the delivery is recorded failed.
 * - outcome: may the provider have the message? `not-sent` when the provider answered with
 *   an error, or the request never left; `unknown` when the request may have reached the
 *   provider but no readable answer came back, so a retry may deliver it twice.
 * Provider texts echo addresses and numbers, so every text that leaves here is redacted
 * and bounded. docs/architecture.md has the table.
 */
export interface ProviderFailure {
  transient: boolean;
  outcome: SendOutcome;
  /** Short and stable, for metrics and records: `ses-throttled`, `timeout`, `sms-http-400`. */
  code: string;
  /** What happened, without contact data, at most DETAIL_MAX characters. */
  detail: string;
  /** The provider's `Retry-After`, in milliseconds, when it sent one. */
  retryAfterMs?: number;
}

export const DETAIL_MAX = 300;

/**
 * What SES v2 answers for SendEmail, by error name. ThrottlingException is not in the
 * SDK's model (it arrives as a plain SESv2ServiceException with that name) and comes with
 * status 400, so a rule on status alone would call it permanent.
 */
const SES_ERRORS: Record<string, { transient: boolean; code: DeliveryCode }> = {
  ThrottlingException: { transient: true, code: 'ses-throttled' },
  TooManyRequestsException: { transient: true, code: 'ses-throttled' },
  LimitExceededException: { transient: true, code: 'ses-limit-exceeded' },
  InternalFailure: { transient: true, code: 'ses-internal-error' },
  InternalServiceErrorException: { transient: true, code: 'ses-internal-error' },
  ServiceUnavailable: { transient: true, code: 'ses-unavailable' },
  MessageRejected: { transient: false, code: 'ses-message-rejected' },
  BadRequestException: { transient: false, code: 'ses-bad-request' },
  MailFromDomainNotVerifiedException: { transient: false, code: 'ses-mail-from-not-verified' },
  NotFoundException: { transient: false, code: 'ses-not-found' },
  AccessDeniedException: { transient: false, code: 'ses-access-denied' },
  SendingPausedException: { transient: false, code: 'ses-sending-paused' },
  AccountSuspendedException: { transient: false, code: 'ses-account-suspended' },
};

/** An error thrown by an AWS SDK v3 client: `$metadata` is on every one, network faults included. */
interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function classifySesError(error: unknown): ProviderFailure {
  const { name, message, $metadata } = (error ?? {}) as SdkError;
  const status = $metadata?.httpStatusCode;
  if (status === undefined) return noAnswer('SES', error);
  if (status < 300) return unreadable('SES', status, error);
  const known = SES_ERRORS[name ?? ''];
  return {
    transient: transientStatus(status) || (known?.transient ?? false),
    outcome: 'not-sent',
    code: dailyQuota(name, message) ? 'ses-daily-quota' : (known?.code ?? `ses-http-${status}`),
    detail: bounded(`SES answered ${status} ${name || 'without an error name'}: ${message ?? ''}`),
  };
}

/**
 * SES answers both of its sending quotas with one error, told apart only by the message:
 * "Maximum sending rate exceeded" or "Daily message quota exceeded" (SES Developer Guide,
 * "Errors related to the sending quotas for your Amazon SES account"). That error is the v1
 * API's `Throttling`, documented as `ThrottlingException`; the v2 API Frist calls answers the
 * rate's with 429 `TooManyRequestsException`, so either name is read. The rate's is over within
 * a second; the day's lasts hours (AWS advises waiting up to 10 minutes), so it is not a
 * throttle the pacer waits out within an invocation.
 */
function dailyQuota(name: string | undefined, message: string | undefined): boolean {
  return (name === 'ThrottlingException' || name === 'TooManyRequestsException') && /daily message quota/i.test(message ?? '');
}

/** How one SMS POST failed, as the adapter saw it. */
export type SmsFailure =
  /** fetch threw: a network fault, or our timeout. */
  | { kind: 'no-answer'; error: unknown }
  /** The gateway answered with an error status (a 429 or 503 may say when to come back). */
  | { kind: 'status'; status: number; text?: string; retryAfterMs?: number }
  /** The gateway answered 200 and said it took nothing (Sveve's way). */
  | { kind: 'refused'; text: string }
  /** The gateway answered 2xx, but the body that says whether it took the SMS was lost. */
  | { kind: 'unreadable'; status: number; error: unknown };

export function classifySmsFailure(failure: SmsFailure): ProviderFailure {
  switch (failure.kind) {
    case 'no-answer':
      return noAnswer('the SMS gateway', failure.error);
    case 'unreadable':
      return unreadable('the SMS gateway', failure.status, failure.error);
    case 'status':
      return {
        transient: transientStatus(failure.status),
        outcome: 'not-sent',
        code: `sms-http-${failure.status}`,
        detail: bounded(`the SMS gateway answered ${failure.status}${failure.text ? `: ${failure.text}` : ''}`),
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
      };
    case 'refused':
      return { transient: false, outcome: 'not-sent', code: 'sms-refused', detail: bounded(`the SMS gateway refused the SMS: ${failure.text}`) };
  }
}

/** The error adapters throw: it carries no cause, since provider errors carry contact data. */
export function toDeliveryError(failure: ProviderFailure): DeliveryError {
  const { detail, transient, outcome, code, retryAfterMs } = failure;
  return new DeliveryError(detail, transient, { outcome, code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

function transientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** A 2xx whose body broke off or did not parse: the provider most likely has the message. */
function unreadable(provider: string, status: number, error: unknown): ProviderFailure {
  return {
    transient: true,
    outcome: 'unknown',
    code: 'response-unreadable',
    detail: bounded(`${provider} answered ${status}, but the answer could not be read: ${summarize(error)}`),
  };
}

function noAnswer(provider: string, error: unknown): ProviderFailure {
  const { code, outcome } = networkFault(error);
  return { transient: true, outcome, code, detail: bounded(`${provider} did not answer (${code}): ${summarize(error)}`) };
}

/**
 * Whether a request that got no answer may have reached the provider. Only faults that
 * happen before a connection exists (refused, DNS, connect timeout) prove nothing left;
 * anything later, or anything unrecognised, is `unknown`. What the clients throw, as
 * provoked against loopback servers:
 * - SDK (NodeHttpHandler): Node's errors with `code` and `syscall` (`connect`, `getaddrinfo`);
 *   ECONNRESET, EPIPE and its own request timeout (ETIMEDOUT) renamed `TimeoutError`; its
 *   connect timeout is a `TimeoutError` with no code, told apart only by its message.
 * - fetch: TypeError `fetch failed` with Node's error as `cause`, or undici's SocketError
 *   (UND_ERR_SOCKET) for a connection closed mid-request; AbortSignal.timeout rejects with a
 *   DOMException `TimeoutError` (whose numeric `code` is not Node's).
 */
function networkFault(error: unknown): { code: DeliveryCode; outcome: SendOutcome } {
  const chain = causes(error);
  const codes = new Set(chain.map((e) => e.code).filter((c): c is string => typeof c === 'string'));
  const notSent = (code: DeliveryCode) => ({ code, outcome: 'not-sent' as const });
  const unknown = (code: DeliveryCode) => ({ code, outcome: 'unknown' as const });
  if (codes.has('ECONNREFUSED')) return notSent('connection-refused');
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN') || chain.some((e) => e.syscall === 'getaddrinfo')) return notSent('dns-failure');
  if (codes.has('UND_ERR_CONNECT_TIMEOUT') || chain.some((e) => /did not establish a connection/.test(String(e.message)))) {
    return notSent('connect-timeout');
  }
  if (chain.some((e) => e.syscall === 'connect')) return notSent('connect-failed');
  if (codes.has('ECONNRESET') || codes.has('EPIPE') || codes.has('UND_ERR_SOCKET')) return unknown('connection-reset');
  if (codes.has('ETIMEDOUT') || chain.some((e) => e.name === 'TimeoutError')) return unknown('timeout');
  return unknown('network-error');
}

type ErrorLike = { name?: unknown; message?: unknown; code?: unknown; syscall?: unknown; cause?: unknown };

/** The error and its causes, outermost first (a few levels; causes can be cyclic). */
function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e = error; e && typeof e === 'object' && chain.length < 5; e = (e as ErrorLike).cause) chain.push(e);
  return chain;
}

/** The innermost error says what happened; `fetch failed` alone does not. */
function summarize(error: unknown): string {
  const inner = causes(error).at(-1);
  if (!inner) return String(error);
  return (
    [inner.name, typeof inner.code === 'string' ? inner.code : undefined].filter(Boolean).join(' ') +
    `: ${typeof inner.message === 'string' ? inner.message : ''}`
  );
}

/**
 * Redacted, on one line, at most DETAIL_MAX characters (also an operator's words in a receipt). A text is cut before redaction at
 * SCAN_MAX, so the regexes never see megabytes; an address the cut splits cannot reach the
 * kept part, since a redaction shrinks an address at most ~30-fold (254 characters to 8).
 */
const SCAN_MAX = 20_000;

export function bounded(text: string): string {
  const clean = redactContactData(text.slice(0, SCAN_MAX)).replace(/\s+/g, ' ').trim();
  return clean.length <= DETAIL_MAX ? clean : `${clean.slice(0, DETAIL_MAX - 1)}…`;
}

// Lookbehinds anchor each match at the start of a run, which keeps the regexes linear on
// long texts without spaces.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * E.164 (`+4791234567`, `+47 912 34 567`), and Norwegian numbers, optionally 0047-prefixed:
 * 8 digits, or spaced `912 34 567`, `91 23 45 67`, `9123 4567`. Digits glued to letters
 * (ids such as `20270201T080000Z`) are left alone.
 */
const PHONE = /(?<![\p{L}\p{N}_+])(?:\+\d(?:[ -]?\d){6,14}|(?:0047[ -]?)?(?:\d{8}|\d{3} \d{2} \d{3}|\d{2}(?: \d{2}){3}|\d{4} \d{4}))(?![\p{L}\p{N}_])/gu;

/** Replaces e-mail addresses and phone numbers, so provider texts can be logged and recorded. */
export function redactContactData(text: string): string {
  return text.replace(EMAIL, '[e-mail]').replace(PHONE, '[phone]');
}
