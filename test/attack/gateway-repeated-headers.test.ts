import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerBody } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';
import { hostAndClose, rawRequest } from '../integration/raw-http.ts';

/**
 * ATTACK: a header sent twice. An HTTP API (payload 2.0) combines a repeated header's values
 * with commas and gives the function, and its JWT authorizer, that one value ("Duplicate
 * headers are combined with commas and included in the headers field"). Node's own parsing
 * keeps only the first of a repeated `Authorization` or `Content-Type`: a gateway built on it
 * lets through what API Gateway refuses.
 */
const TENANT = 'firm-repeated-headers';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack.stop());

/** `method path` with these headers after the host (raw-http.ts), and `body`: the answer's status. */
async function raw(method: string, path: string, headers: [string, string][], body = ''): Promise<number> {
  return (await rawRequest(stack.apiUrl, method, path, [...hostAndClose(stack.apiUrl), ...headers], body)).status;
}

/** A body POSTed with its bearer token and these Content-Type headers: the answer's status. */
async function postWithTypes(path: string, types: string[], body: string): Promise<number> {
  const bearer = `Bearer ${await stack.token(TENANT)}`;
  return raw('POST', path, [['authorization', bearer], ...types.map((type): [string, string] => ['content-type', type])], body);
}

it('refuses a valid bearer token followed by a second Authorization header, as the authorizer sees both joined', async () => {
  const bearer = `Bearer ${await stack.token(TENANT)}`;
  expect(await raw('GET', '/tasks', [['authorization', bearer]])).toBe(200);
  // What the authorizer is given on AWS: the two values as one.
  expect(await raw('GET', '/tasks', [['authorization', `${bearer},Bearer junk`]])).toBe(401);
  expect(
    await raw('GET', '/tasks', [
      ['authorization', bearer],
      ['authorization', 'Bearer junk'],
    ]),
  ).toBe(401);
});

it('gives the function a repeated Content-Type as one value, as API Gateway does', async () => {
  const body = JSON.stringify(customerBody());
  expect(await postWithTypes('/customers', ['application/json'], body)).toBe(201);
  // What the function is given on AWS: the two values as one, not a JSON media type.
  const joined = await postWithTypes('/customers', ['application/json,text/plain'], body);
  expect(joined).toBe(415);
  expect(await postWithTypes('/customers', ['application/json', 'text/plain'], body)).toBe(joined);
});
