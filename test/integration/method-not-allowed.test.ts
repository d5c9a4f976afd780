import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-methods');
});
afterAll(() => stack.stop());

describe('a method a known path does not take', () => {
  it('is 405 with the methods the path takes in Allow', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/settings', 'GET, PUT, PATCH'],
      ['PUT', '/customers', 'POST, GET'],
      ['POST', '/tasks/abc', 'GET, PUT, PATCH, DELETE'],
      ['GET', '/tasks/abc/complete', 'POST'],
      ['PATCH', '/documents/abc', 'GET'],
      ['POST', '/openapi.json', 'GET'],
      ['POST', '/docs', 'GET'],
      ['PUT', '/docs/swagger-ui-bundle.js', 'GET'],
      ['POST', '/tasks/abc/', 'GET, PUT, PATCH, DELETE'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await api.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 405, title: 'Method not allowed' });
    }
  });

  it('leaves an unknown path 404', async () => {
    for (const path of ['/nothing', '/tasks/abc/nothing', '/tasks/a/b/c']) {
      const res = await api.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    }
  });
});
