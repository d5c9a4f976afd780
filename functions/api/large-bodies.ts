import type { LargerBody } from '../http/json-body.ts';

/**
 * `POST /templates/{id}/apply` takes up to 5,000 task ids, about 100 KB of JSON: over the
 * 64 KiB every other body gets, far under what API Gateway (10 MB) and a Lambda invocation
 * (6 MB) carry. The limit is its own so that no other route takes large bodies.
 */
export const APPLY_BODY = { method: 'POST', path: /^\/templates\/[^/]+\/apply$/, maxBytes: 256 * 1024 } satisfies LargerBody;

/**
 * `POST /imports` takes a CSV file as it is (`text/csv`): 5,000 rows of a firm's customers and
 * tasks are well under 2 MiB, which stays far under API Gateway's and Lambda's payload limits
 * even base64-encoded (2.7 MiB).
 */
export const IMPORT_BODY = { method: 'POST', path: /^\/imports$/, maxBytes: 2 * 1024 * 1024, mediaType: 'text/csv' } satisfies LargerBody;
