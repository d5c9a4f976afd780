import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOOPBACK } from '../../local/listen.ts';
import { customerBody } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

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

/** One request written byte for byte on a socket, headers in order, repeats kept (fetch would merge them); the answer's status. */
async function raw(method: string, path: string, headers: [string, string][], body = ''): Promise<number> {
  const { port } = new URL(stack.apiUrl);
  const all: [string, string][] = [['host', `${LOOPBACK}:${port}`], ['connection', 'close'], ...headers, ['content-length', String(Buffer.byteLength(body))]];
  const socket = connect(Number(port), LOOPBACK);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.write([`${method} ${path} HTTP/1.1`, ...all.map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n'));
  });
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('utf8'))?.[1]);
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
  const bearer = `Bearer ${await stack.token(TENANT)}`;
  const body = JSON.stringify(customerBody());
  expect(
    await raw(
      'POST',
      '/customers',
      [
        ['authorization', bearer],
        ['content-type', 'application/json'],
      ],
      body,
    ),
  ).toBe(201);
  const joined = await raw(
    'POST',
    '/customers',
    [
      ['authorization', bearer],
      ['content-type', 'application/json,text/plain'],
    ],
    body,
  );
  expect(joined).toBe(415);
  expect(
    await raw(
      'POST',
      '/customers',
      [
        ['authorization', bearer],
        ['content-type', 'application/json'],
        ['content-type', 'text/plain'],
      ],
      body,
    ),
  ).toBe(joined);
});
