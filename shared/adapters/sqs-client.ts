import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';

/*
 * A module of its own, the request handler given as its options: why, in ses-client.ts. The
 * floor of a cold start (bench/bare-clients.ts) builds its SQS client with this function too.
 */

/** SQS accepts a connection within this long, and answers a SendMessage within the next. */
const SQS_CONNECTION_TIMEOUT_MS = 1_000;
const SQS_REQUEST_TIMEOUT_MS = 2_000;

/**
 * The SQS client of a function, for every queue it sends to: bounded, because PUT /settings
 * sends a job's first step before it answers. Two attempts of at most about three seconds
 * each; a job step given up on is left to the reconciler, and one that SQS carried out after
 * all is a copy the jobs function ignores.
 */
export function createSqsClient(options: SQSClientConfig): SQSClient {
  return new SQSClient({
    ...options,
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: SQS_CONNECTION_TIMEOUT_MS,
      requestTimeout: SQS_REQUEST_TIMEOUT_MS,
      // Without it the request timeout only logs a warning and the call waits on.
      throwOnRequestTimeout: true,
    },
  });
}
