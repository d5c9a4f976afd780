import { DependencyUnavailableError } from '../errors.ts';

/**
 * Runs an AWS call and turns a failure a retry may cure (throttling, a service fault, no answer
 * at all) into DependencyUnavailableError: 503 with Retry-After to an API caller, `retry` to
 * a queue's consumer, rather than a bare 500. Other errors pass through unchanged.
 */
export async function busyIfRetryable<T>(call: Promise<T>, detail: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (isRetryable(error)) throw new DependencyUnavailableError(detail, { cause: error });
    throw error;
  }
}

function isRetryable(error: unknown): boolean {
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; name?: string; code?: unknown }) ?? {};
  return (
    meta.$retryable !== undefined ||
    (meta.$metadata?.httpStatusCode ?? 0) >= 500 ||
    THROTTLE_NAMES.has(String(meta.name)) ||
    NO_ANSWER_NAMES.has(String(meta.name)) ||
    NO_ANSWER_CODES.has(String(meta.code))
  );
}

/** DynamoDB's and S3's names for "too many requests" (S3's SlowDown is a 503 as well). */
const THROTTLE_NAMES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'SlowDown']);

/**
 * A call that got no answer at all: a connection refused, reset or timed out, which the SDK
 * retries by itself (its standard retry mode's transient errors) and throws once its attempts
 * are spent. Nothing says the service is at fault for good, so the caller may retry: 503, as
 * for a throttle, not a bare 500.
 */
const NO_ANSWER_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const NO_ANSWER_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
