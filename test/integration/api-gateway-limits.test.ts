import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalApiGateway, MAX_REQUEST_LINE_AND_HEADER_BYTES } from '../../local/local-api-gateway.ts';
import type { LocalJwt } from '../../local/local-jwt.ts';
import { close, listen, LOOPBACK } from '../../local/listen.ts';
import { API_FUNCTION } from '../../shared/api-function.ts';
import type { Settings } from '../../shared/domain/model.ts';
import type { Ports } from '../../shared/ports.ts';
import { startTestStack, type TestStack } from './harness.ts';
import { rawRequest } from './raw-http.ts';

/**
 * The local API gateway is no kinder than an HTTP API in front of the api function: it refuses a
 * request line and header values over the quota, gives the function the stack's timeout as its
 * remaining time, and stops waiting for it there, answering as for any function error.
 */
const TENANT = 'firm-gateway-limits';
/** Its settings never come: every request of this firm that reads them overruns the timeout. */
const SLOW_TENANT = 'firm-gateway-slow';
/** Shorter than the stack's, so the test reaches it without a long wait; long enough for the quick requests here. */
const TIMEOUT_MS = 3_000;

let stack: TestStack;
let releaseSlowReads: () => void = () => undefined;
const slowReads = new Promise<void>((resolve) => (releaseSlowReads = resolve));

beforeAll(async () => {
  const slowSettings = (ports: Ports): Ports['store'] =>
    Object.assign(Object.create(ports.store) as Ports['store'], {
      getSettings: async (tenantId: string): Promise<Settings | undefined> => {
        if (tenantId === SLOW_TENANT) await slowReads;
        return ports.store.getSettings(tenantId);
      },
    });
  stack = await startTestStack({ apiTimeoutMs: TIMEOUT_MS, wrapPorts: (ports) => ({ ...ports, store: slowSettings(ports) }) });
}, 60_000);
afterAll(async () => {
  releaseSlowReads();
  await stack.stop();
});

/** GET `path` with exactly these headers (raw-http.ts). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return rawRequest(stack.apiUrl, 'GET', path, Object.entries(headers));
}

/** Headers for GET `path` whose request line and values come to exactly `total` bytes. */
async function headersTotalling(path: string, total: number): Promise<Record<string, string>> {
  const base = { host: `${LOOPBACK}:${new URL(stack.apiUrl).port}`, authorization: `Bearer ${await stack.token(TENANT)}`, connection: 'close' };
  const used = Buffer.byteLength(`GET ${path} HTTP/1.1`) + Object.values(base).reduce((sum, value) => sum + Buffer.byteLength(value), 0);
  return { ...base, 'x-pad': 'a'.repeat(total - used) };
}

it('takes a request line and header values of exactly the quota, and refuses one byte more with 431', async () => {
  const atQuota = await rawGet('/tasks', await headersTotalling('/tasks', MAX_REQUEST_LINE_AND_HEADER_BYTES));
  expect(atQuota.status).toBe(200);
  expect(atQuota.text).toContain('"items"');

  const over = await rawGet('/tasks', await headersTotalling('/tasks', MAX_REQUEST_LINE_AND_HEADER_BYTES + 1));
  expect(over.status).toBe(431);
  expect(over.text).toContain('{"message":"Request Header Fields Too Large"}');
});

it('answers a request that overruns the timeout with 500, without waiting for the function', async () => {
  const api = await stack.as(TENANT);
  expect((await api.get('/settings')).status).toBe(200);

  // The read never comes back while the test runs: an answer at all means the wait ended at the
  // timeout. Which 500 it is depends on a race of a few milliseconds, as on AWS: the handler's own
  // problem (middy answers just before the remaining time runs out) or the gateway's for the
  // stopped invocation (the next test).
  const slow = await (await stack.as(SLOW_TENANT)).call('GET', '/settings');
  expect(slow.status).toBe(500);
});

/** The gateway alone on a free port, in front of `handler`. */
async function withGateway(
  handler: Parameters<typeof createLocalApiGateway>[0]['handler'],
  timeoutMs: number | undefined,
  use: (url: string) => Promise<void>,
) {
  const gateway = createLocalApiGateway({ handler, jwt: {} as LocalJwt, publicRouteKeys: ['GET /probe'], ...(timeoutMs ? { timeoutMs } : {}) });
  const port = await listen(gateway, 0);
  try {
    await use(`http://${LOOPBACK}:${port}/probe`);
  } finally {
    await close(gateway);
  }
}

it('stops an invocation that never answers at the timeout, with the answer API Gateway gives for a function error', async () => {
  let release: () => void = () => undefined;
  const never = new Promise<never>((_, reject) => (release = () => reject(new Error('released'))));
  await withGateway(
    () => never,
    200,
    async (url) => {
      const answer = await fetch(url);
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({ message: 'Internal Server Error' });
    },
  );
  release();
  await never.catch(() => undefined);
});

it("gives the function the stack's timeout as its remaining time", async () => {
  await withGateway(
    async (_event, context) => ({ statusCode: 200, body: String(context.getRemainingTimeInMillis()) }),
    undefined,
    async (url) => {
      const remaining = Number(await (await fetch(url)).text());
      // The stack's timeout, counting down; not the HTTP API's longer 30 s.
      expect(remaining).toBeLessThanOrEqual(API_FUNCTION.timeoutSeconds * 1000);
      expect(remaining).toBeGreaterThan((API_FUNCTION.timeoutSeconds * 1000) / 2);
    },
  );
});
