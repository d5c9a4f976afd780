import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './harness.ts';

/** The local gateway answers CORS as API Gateway's `corsPreflight` does for the configured origins. */
const APP = 'http://127.0.0.1:5999';
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ corsOrigins: [APP] });
});
afterAll(() => stack.stop());

const preflight = (origin: string) =>
  fetch(`${stack.apiUrl}/tasks`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
  });

describe('CORS', () => {
  it('answers a preflight from an allowed origin itself, without a token', async () => {
    const response = await preflight(APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type,idempotency-key');
    expect(response.headers.get('access-control-max-age')).toBe('3600');
  });

  it('names no policy to another origin', async () => {
    const response = await preflight('http://127.0.0.1:6000');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('adds the allowed origin to answers, the authorizer refusal included, and nothing for other origins', async () => {
    const client = await stack.as('demo');
    const ok = await client.call('GET', '/tasks', undefined, { origin: APP });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-expose-headers')).toBe('retry-after');
    const refused = await fetch(`${stack.apiUrl}/tasks`, { headers: { origin: APP } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
    const other = await client.call('GET', '/tasks', undefined, { origin: 'http://127.0.0.1:6000' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
