import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalApiGateway, MAX_REQUEST_LINE_AND_HEADER_BYTES } from '../../local/local-api-gateway.ts';
import type { LocalJwt } from '../../local/local-jwt.ts';
import { close, listen, LOOPBACK } from '../../local/listen.ts';
import { responseChecker, type OpenApiDocument } from '../integration/contract.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK: what API Gateway answers by itself, before the function runs, against what
 * /openapi.json says a client may get. The client here checks every answer against the
 * document (harness.ts): a body over the HTTP API's 10 MB and header values over its quota are
 * refused with the gateway's own `{"message": ...}` as `application/json`, which the document
 * must describe, as it describes the authorizer's 401. So must it the gateway's 500 for an
 * invocation stopped at the function's timeout: which 500 a slow request gets (the function's
 * problem, or the gateway's) is a race of milliseconds, as on AWS.
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

it('describes the gateway’s own 500 for an invocation stopped at the timeout', async () => {
  const contract = responseChecker((await api.get('/openapi.json')).body as OpenApiDocument);
  // The gateway alone, in front of a function that never answers: its answer, not the function's.
  const gateway = createLocalApiGateway({ handler: () => new Promise(() => undefined), jwt: {} as LocalJwt, publicRouteKeys: ['GET /tasks'], timeoutMs: 100 });
  const port = await listen(gateway, 0);
  try {
    const answer = await fetch(`http://${LOOPBACK}:${port}/tasks`);
    const res = { status: answer.status, headers: answer.headers, body: await answer.json() };
    expect(res.status).toBe(500);
    expect(contract.check(contract.operationFor('GET', '/tasks')!, res)).toEqual([]);
  } finally {
    await close(gateway);
  }
});
