/**
 * What browsers on the configured origins may send and read, in one place: the CDK stack gives
 * it to API Gateway (`corsPreflight`), and the local gateway answers with the same. The request
 * headers are those the API reads: the bearer token, the body's type, and `Idempotency-Key` of
 * a retried create. `Retry-After` of a 503 is readable, so a client can wait as told.
 */
export const CORS_POLICY = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  exposeHeaders: ['retry-after'],
  maxAgeSeconds: 3600,
} as const;
