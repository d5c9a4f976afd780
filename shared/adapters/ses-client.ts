import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';

/*
 * Apart from its adapter so that the floor of a cold start (bench/bare-clients.ts) builds the
 * client with this very function: dispatch's import is compared with clients built as
 * dispatch builds them. Each client has a module of its own: a bundle keeps the import of
 * every AWS SDK package that a module it takes names.
 *
 * The request handler is given as its options, not as a `NodeHttpHandler` of ours: the client
 * then builds it from the SDK's own `@smithy/node-http-handler`, which it loads anyway. An
 * instance would bundle a second copy of that package, and parts of `@smithy/core`, into
 * every function: about 15 ms of CPU at a cold import (docs/decisions.md, "Cold start: the
 * SDK's own request handler").
 */

/** SES accepts a connection within this long, or the send fails with nothing sent. */
export const SES_CONNECTION_TIMEOUT_MS = 3_000;

/**
 * The SES client for sending: exactly one HTTP request per send. The SDK's default retries
 * (up to three attempts on throttling, 5xx and network faults) would turn a lost answer into
 * a second e-mail; the retry is dispatch's, which knows the outcome was unknown. The request
 * timeout ends a call that hangs instead of leaving it to the Lambda timeout.
 */
export function createSesClient(options: SESv2ClientConfig, requestTimeoutMs: number): SESv2Client {
  return new SESv2Client({
    ...options,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: SES_CONNECTION_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      // Without it the request timeout only logs a warning and the call waits on.
      throwOnRequestTimeout: true,
    },
  });
}
