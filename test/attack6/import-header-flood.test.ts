import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

// A file under the route's 2 MiB whose header is a million unknown (or repeated) columns,
// `x;x;x;...`: the header check listed one problem per column, each with the list of known
// columns. A million unknown columns made the request fail (500); 300,000 repeated ones made a
// 47 MB problem+json, more than a Lambda may answer (6 MB): a caller's mistake became a 5xx,
// and a cheap way to keep the function busy. Such a header is refused as one problem.
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-header-flood');
});
afterAll(() => stack.stop());

const upload = (csv: string) => api.call('POST', '/imports', csv, { 'content-type': 'text/csv' });
const rules = (body: { errors?: { field: string; rule: string }[] }) => (body.errors ?? []).map((e) => `${e.field} ${e.rule}`);

it('refuses a header of a million unknown columns with one short problem that says how many it names', async () => {
  const res = await upload(`${Array.from({ length: 1_000_000 }, () => 'x').join(';')}\r\n1\r\n`);

  expect(res.status).toBe(422);
  expect(rules(res.body)).toEqual(['(header) max-items']);
  expect(res.body.errors[0].message).toContain('1000000 columns');
  expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
});

it('refuses a header that repeats one known column 300,000 times the same way', async () => {
  const res = await upload(`Kundenummer;${Array.from({ length: 300_000 }, () => 'navn').join(';')}\r\n1\r\n`);

  expect(res.status).toBe(422);
  expect(rules(res.body)).toEqual(['(header) max-items']);
  expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
});

it('still names each unknown column of an ordinary header, with empty columns left over from Excel ignored', async () => {
  const res = await upload(`Kundenummer;Navn;Farge;${';'.repeat(100_000)}\r\n1;Fjord AS;blå\r\n`);

  expect(res.status).toBe(422);
  expect(rules(res.body)).toEqual(['(header).3 unknown-field']);
});
