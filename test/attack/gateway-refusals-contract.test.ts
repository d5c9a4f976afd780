import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_REQUEST_LINE_AND_HEADER_BYTES } from '../../local/local-api-gateway.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK: what API Gateway answers by itself, before the function runs, against what
 * /openapi.json says a client may get. The client here checks every answer against the
 * document (harness.ts): a body over the HTTP API's 10 MB and header values over its quota are
 * refused with the gateway's own `{"message": ...}` as `application/json`, which the document
 * must describe, as it describes the authorizer's 401.
 */
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-gateway-refusals');
}, 60_000);
afterAll(() => stack.stop());

it('describes the gateway’s own 413 for a body over 10 MB', async () => {
  const answer = await api.call('POST', '/imports', Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), { 'content-type': 'text/csv' });
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 413, body: { message: 'Request Entity Too Large' } });
});

it('describes the gateway’s own 431 for header values over its quota', async () => {
  const answer = await api.call('GET', '/tasks', undefined, { 'x-pad': 'a'.repeat(MAX_REQUEST_LINE_AND_HEADER_BYTES) });
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 431, body: { message: 'Request Header Fields Too Large' } });
});
