import type { Task } from './domain/model.ts';

/**
 * The error tree. Every error a caller can act on is a FristError with an HTTP status and
 * words that say what to change; anything else is a bug and becomes a bare 500.
 */

/** One field-level finding, as in the `errors` list of a problem+json body. */
export interface FieldIssue {
  /** JSON path of the field, dotted: `notices.0.offset`. */
  field: string;
  /** The rule that was broken, a short stable identifier: `required`, `e164`, `merge-code`. */
  rule: string;
  message: string;
}

export abstract class FristError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** The problem's own type, where its status alone does not say what went wrong. */
  readonly type?: string;
  readonly issues: FieldIssue[];

  constructor(message: string, options: { cause?: unknown; issues?: FieldIssue[] } = {}) {
    super(message, { cause: options.cause });
    this.issues = options.issues ?? [];
  }
}

export class MalformedRequestError extends FristError {
  override readonly name = 'MalformedRequestError';
  readonly status = 400;
  readonly title = 'Malformed request';
}

export class ValidationError extends FristError {
  override readonly name = 'ValidationError';
  readonly status = 422;
  readonly title = 'Validation failed';

  constructor(issues: FieldIssue[], message?: string) {
    super(message ?? issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }

  static of(field: string, rule: string, message: string): ValidationError {
    return new ValidationError([{ field, rule, message }]);
  }
}

export class UnauthorizedError extends FristError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class NotFoundError extends FristError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly title = 'Not found';
}

export class MethodNotAllowedError extends FristError {
  override readonly name = 'MethodNotAllowedError';
  readonly status = 405;
  readonly title = 'Method not allowed';

  /** The methods the path takes: the response's `Allow` header. */
  constructor(
    message: string,
    readonly allow: readonly string[] = [],
  ) {
    super(message);
  }
}

export class ConflictError extends FristError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends FristError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends FristError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly title = 'Unsupported media type';
}

/**
 * A damaged item's bytes can inflate into text of the task, which JSON.parse's message quotes
 * ("Unexpected token ... \"message\":\"Hei Ola..."): the log gets the kind of failure only.
 */
function withoutText(cause: unknown): unknown {
  return cause instanceof SyntaxError ? new SyntaxError('the packed notices are not JSON') : cause;
}

/**
 * A stored task that cannot be read back: its packed notices do not unpack (a damaged item in
 * the table, shared/adapters/dynamodb-packed-notices.ts). Not the caller's fault, and no retry
 * cures it: a 500 of its own type, naming the task's id only (the cause is for the log).
 */
export class UnreadableTaskError extends FristError {
  override readonly name = 'UnreadableTaskError';
  readonly status = 500;
  readonly title = 'Stored task cannot be read';
  override readonly type = 'stored-task-unreadable';

  /**
   * What of the item still reads (all but its notices: the ids, version, customer hold and plan),
   * when it does: enough to delete the task cleanly (deleteTask), never shown. Not enumerable:
   * the logger prints an error's enumerable fields, and the task's title and customer are not
   * for the log.
   */
  declare readonly remains?: TaskRemains;

  constructor(
    readonly taskId: string,
    cause: unknown,
    remains?: TaskRemains,
  ) {
    super(`the stored task ${taskId} cannot be read; it needs repair by the operator, who has been told`, { cause: withoutText(cause) });
    Object.defineProperty(this, 'remains', { value: remains, enumerable: false });
  }
}

/** A stored task without its notices: what a damaged item keeps readable. */
export type TaskRemains = Omit<Task, 'notices'>;

/** A dependency (DynamoDB, the Scheduler, ...) failed in a way a retry may cure. */
export class DependencyUnavailableError extends FristError {
  override readonly name = 'DependencyUnavailableError';
  readonly status = 503;
  readonly title = 'Service unavailable';
}

/**
 * A dependency refused calls for their rate (the Scheduler's ThrottlingException, after the
 * SDK's own retries): not broken, only busy. The reconciler waits and tries again
 * (scheduler-pacing.ts); to an API caller it is a 503 like any other.
 */
export class ThrottledError extends FristError {
  override readonly name = 'ThrottledError';
  readonly status = 503;
  readonly title = 'Service unavailable';
}

/**
 * Whether a failed send may still reach the recipient: `not-sent` when the provider refused
 * it or never got it, `unknown` when the request may have reached the provider but no
 * answer came (docs/architecture.md, "Provider calls and their outcomes").
 */
export type SendOutcome = 'not-sent' | 'unknown';

/**
 * A send that failed. Transient (throttling, 5xx, the network) sends the notice's message back
 * to the dispatch queue for a later attempt; permanent (a rejected number or sender, any other 4xx) is recorded as
 * failed and never retried. Provider failures are built by shared/adapters/provider-errors.ts;
 * the few of Frist's own making before any provider call (`too-long`, `no-sender`,
 * `no-sms-account`) name their code; nothing was sent. Every code is listed in
 * shared/domain/delivery-codes.ts, which bounds what metrics see.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly outcome: SendOutcome;
  /** Short and stable, for metrics and records: `ses-throttled`, `timeout`, `configuration`. */
  readonly code: string;
  /** How long the provider asked to be left alone (an HTTP 429's `Retry-After`), when it said. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    readonly transient: boolean,
    options: { cause?: unknown; outcome?: SendOutcome; code?: string; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.outcome = options.outcome ?? 'not-sent';
    this.code = options.code ?? 'configuration';
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
