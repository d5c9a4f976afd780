/**
 * A schema-driven fuzzer of the served /openapi.json (attack of issue 8). Not part of the suite:
 *   npx tsx test/attack3/fuzz.ts [baseUrl] [runsPerOperation]
 * against `PORT=3999 npm start` (defaults: http://127.0.0.1:3999, 150). It reads the document,
 * makes a fresh tenant with a customer and a task, then for every operation sends requests
 * built from the operation's parameters and body schema: valid values, boundary values and
 * hostile ones (wrong types, 40,000-character strings, unicode, lone surrogates, NUL, odd
 * query strings, merge-patch nulls). Each answer is checked: no 5xx, the status documented,
 * the body valid against the document strictly, and no 2xx for input the document calls invalid.
 * Prints each distinct finding with one example, and the request count.
 */
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { responseChecker, type OpenApiDocument } from '../integration/contract.ts';

type Schema = Record<string, any>;
const base = process.argv[2] ?? 'http://127.0.0.1:3999';
const runs = Number(process.argv[3] ?? 150);
const seed = Number(process.env.FUZZ_SEED ?? 8);

const doc = (await (await fetch(`${base}/openapi.json`)).json()) as any;
const checker = responseChecker(doc as OpenApiDocument);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...doc, $id: 'openapi' });
const ptr = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

const tenant = `fuzz-${Date.now().toString(36)}`;
const token = execFileSync('npx', ['tsx', 'local/token.ts', tenant], { encoding: 'utf8', env: process.env }).trim();
let requests = 0;
const findings = new Map<string, string>();

async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  requests++;
  // node:http, not fetch: fetch refuses a body on GET, which a client may still send.
  const payload = body === undefined ? undefined : Buffer.from(body, body.startsWith('\xff') ? 'latin1' : 'utf8');
  const res = await new Promise<{ status: number; headers: Headers; raw: Buffer }>((done, fail) => {
    const framing = payload ? { 'content-length': String(payload.length) } : {};
    const req = httpRequest(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...framing, ...headers } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done({ status: r.statusCode ?? 0, headers: new Headers(r.headers as Record<string, string>), raw: Buffer.concat(chunks) }));
      r.on('error', fail);
    });
    req.on('error', fail);
    req.end(payload);
  });
  const text = res.raw.toString('utf8');
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: res.status, headers: res.headers, body: parsed as any, text };
}

function finding(kind: string, example: string) {
  if (!findings.has(kind)) findings.set(kind, example);
}

const resolve = (s: Schema): Schema => (s?.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s);

// --- hostile and boundary values ---
const LONG = 'x'.repeat(40_000);
const hostileStrings = [
  '',
  ' ',
  LONG,
  'æøå ÆØÅ',
  '😀🎉',
  '\ud800',
  'a\udc00b',
  'nul\u0000',
  '\r\nBcc: x@example.com',
  '{{customer.name}}',
  '{{kunde.navn}}',
  '<script>',
  '0x10',
  '1e1',
  '-1',
  'null',
  '__proto__',
  'a'.repeat(201),
  'a'.repeat(200) + ' ',
];
const hostile: unknown[] = [...hostileStrings, null, 0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2, true, [], {}, [null], { __proto__: 1 }, { a: null }];

function stringFor(s: Schema): fc.Arbitrary<string> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.format === 'email') return fc.constantFrom('post@example.no', 'a+b@x.io', 'a@b-.no', "o'neil@firma.no", 'A@B.NO');
  if (s.format === 'date') return fc.constantFrom('2027-02-10', '2027-02-29', '2028-02-29', '0000-01-01', '9999-12-31', '2027-13-01', '2027-2-1');
  if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}(T'))
    return fc.constantFrom(
      '2027-02-10',
      '2030-06-30',
      '2027-02-10T14:00:00+01:00',
      '2027-03-28T02:30:00Z',
      '9999-12-31',
      '0001-01-01',
      '2027-02-10T14:00:00+23:59',
      '2027-02-30',
    );
  if (s.pattern?.startsWith('^P')) return fc.constantFrom('P3D', 'P1D', 'PT0S', 'P0D', 'P1W', 'P1M', 'P12M', 'P366D', 'PT2H', 'P1DT12H', 'P999M', 'P');
  if (s.pattern === '^([01]\\d|2[0-3]):[0-5]\\d$') return fc.constantFrom('09:00', '00:00', '23:59', '02:30', '24:00');
  if (s.pattern === '^\\+?[0-9 ()-]+$') return fc.constantFrom('+47 22 33 44 55', '22334455', '+1 (212) 555-0100', '---', '+4791234567');
  if (s.pattern?.startsWith('^[A-Za-z0-9_-]')) return fc.oneof(fc.constant('KNOWN'), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/));
  if (s.example === '+4791234567') return fc.constantFrom('91234567', '912 34 567', '+4791234567', '+46701234567', '22334455', '+1 212 555 0100', '12');
  if (s.example === '974760673') return fc.constantFrom('974760673', '974 760 673', '974760674', '000000000', '12345678');
  if (s.example === 'Europe/Oslo') return fc.constantFrom('Europe/Oslo', 'America/New_York', 'UTC', 'Etc/GMT+12', 'Mars/Base', 'europe/oslo');
  if (s.example === 'TallOgTid') return fc.constantFrom('TallOgTid', 'Frist', 'A2345678901', 'A23456789012', '91234567', 'æøå');
  const max = Math.min(s.maxLength ?? 300, 300);
  const min = s.minLength ?? 0;
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
    fc.constantFrom(
      'Hei {{customer.name}}, husk {{task.title}} {{oppgave.frist}}',
      'Frist {{task.deadline}} {{kunde.navn}} {{firma.telefon}} {{oppgave.dagerIgjen}}',
      '€'.repeat(10),
    ),
  );
}

function valueFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['object'];
  const options: fc.Arbitrary<unknown>[] = types.map((t) => {
    switch (t) {
      case 'null':
        return fc.constant(null);
      case 'string':
        return stringFor(s);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.oneof(
          fc.integer({ min: s.minimum ?? -1000, max: Math.min(s.maximum ?? 1000, 1_000_000) }),
          fc.constantFrom(s.minimum ?? 0, s.maximum ?? 100),
        );
      case 'number':
        return fc.double();
      case 'array':
        return fc.array(valueFor(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
      default: {
        const props = Object.entries(s.properties ?? {});
        if (depth > 4 || !props.length) return fc.constant({});
        const required = new Set<string>(s.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of props) record[k] = valueFor(v as Schema, depth + 1);
        return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
      }
    }
  });
  return options.length === 1 ? options[0]! : fc.oneof(...options);
}

/** Replaces one member somewhere in the value with a hostile one (or adds an unknown member). */
function mutate(value: unknown): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat(), fc.constantFrom(...hostile), fc.boolean()).map(([n, bad, addUnknown]) => {
    const copy = structuredClone(value) as any;
    const slots: [any, string][] = [];
    const walk = (v: any) => {
      if (v && typeof v === 'object')
        for (const k of Object.keys(v)) {
          slots.push([v, k]);
          walk(v[k]);
        }
    };
    walk(copy);
    if (!slots.length || (addUnknown && n % 5 === 0)) return copy && typeof copy === 'object' ? { ...copy, unknownField: bad } : bad;
    const [holder, key] = slots[n % slots.length]!;
    holder[key] = bad;
    return copy;
  });
}

// --- a fresh tenant with one customer and one task ---
const cust = await send('POST', '/customers', JSON.stringify({ name: 'Fuzz AS', email: 'post@example.no', mobile: '91234567' }), {
  'content-type': 'application/json',
});
const task = await send(
  'POST',
  '/tasks',
  JSON.stringify({
    title: 'MVA',
    customerId: cust.body.id,
    deadline: '2030-02-10',
    notices: [{ when: 'before', offset: 'P3D', channels: ['email'], subject: 'S', message: 'M' }],
  }),
  { 'content-type': 'application/json' },
);
const known = { customer: cust.body.id as string, task: task.body.id as string, notice: task.body.notices[0].id as string };
const fill = (v: unknown, path: string): unknown => {
  if (typeof v === 'string' && v === 'KNOWN') return path.startsWith('/customers') ? known.customer : path.startsWith('/tasks') ? known.task : known.customer;
  if (Array.isArray(v)) return v.map((x) => fill(x, path));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'customerId' && x === 'KNOWN' ? known.customer : fill(x, path)]));
  return v;
};

const queryValues = [
  '',
  '0x10',
  '1e1',
  '0',
  '101',
  '1',
  '100',
  '25',
  ' 5',
  '5 ',
  '%00',
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%C3%A6%C3%B8',
  LONG,
  'true',
  'TRUE',
  '2027-02-10',
  '2027-02-30',
  'open',
  'x'.repeat(1001),
];

for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
  for (const [method, op] of Object.entries(methods)) {
    if (method === 'delete') continue; // deleting the fixtures would turn everything after into 404s; tried by hand
    const params: any[] = op.parameters ?? [];
    const query = params.filter((p) => p.in === 'query');
    const bodyType = Object.keys(op.requestBody?.content ?? {})[0];
    const bodySchema = bodyType ? op.requestBody.content[bodyType].schema : undefined;
    const validateBody = bodySchema ? ajv.getSchema(`openapi#/${ptr('paths', path, method, 'requestBody', 'content', bodyType!, 'schema')}`)! : undefined;
    const arb = fc.record({
      id: fc.oneof(fc.constant('KNOWN'), fc.constantFrom('nope', 'a'.repeat(65), '%20', '..', 'æ', '%00')),
      query: fc.array(
        fc.tuple(
          fc.constantFrom(...(query.length ? query.map((q) => q.name) : ['x'])),
          fc.oneof(fc.constantFrom(...queryValues), valueFor(query[0]?.schema ?? { type: 'string' }).map(String)),
        ),
        { maxLength: 4 },
      ),
      body: bodySchema
        ? fc.oneof(
            { weight: 3, arbitrary: valueFor(bodySchema) },
            { weight: 3, arbitrary: valueFor(bodySchema).chain(mutate) },
            { weight: 1, arbitrary: fc.constantFrom(...hostile) },
          )
        : fc.constant(undefined),
      rawBody: fc.option(fc.constantFrom('{', '\xff\xfe', '{"a":1}{"b":2}', '  ', 'null', '[]', '{"version":1e400}', '{"version":-0}', '{"version":1.0}'), {
        freq: 8,
      }),
      contentType: fc.option(
        fc.constantFrom('text/plain', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/merge-patch+json', 'application/json', ''),
        { freq: 6 },
      ),
      freshVersion: fc.boolean(),
      idem: fc.option(fc.constantFrom('k1', 'k1', '', 'a'.repeat(65), 'æ', 'ok_key-1'), { freq: 3 }),
    });
    const samples = fc.sample(arb, { numRuns: runs, seed });
    for (const sample of samples) {
      const concrete = path.replace(
        '{id}',
        sample.id === 'KNOWN' ? (path.startsWith('/customers') ? known.customer : path.startsWith('/documents') ? 'nope' : known.task) : sample.id,
      );
      const qs = sample.query.map(([k, v]) => `${k}=${/%/.test(v) ? v : encodeURIComponent(v)}`).join('&');
      const url = qs ? `${concrete}?${qs}` : concrete;
      const body = sample.body === undefined ? undefined : fill(sample.body, path);
      if (body && typeof body === 'object' && !Array.isArray(body) && 'version' in body && sample.freshVersion && (method === 'put' || method === 'patch')) {
        const current = await send('GET', concrete);
        if (current.status === 200) (body as any).version = current.body.version;
      }
      const text = sample.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const headers: Record<string, string> = {};
      if (text !== undefined) headers['content-type'] = sample.contentType ?? bodyType ?? 'application/json';
      if (sample.idem !== null) headers['idempotency-key'] = sample.idem;
      let res;
      try {
        res = await send(method.toUpperCase(), url, text, headers);
      } catch (error) {
        finding(`${method} ${path}: request failed ${String(error)}`, url);
        continue;
      }
      const example = `${method.toUpperCase()} ${url.slice(0, 200)} ${headers['content-type'] ?? ''} ${(text ?? '').slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
      // 431: Node's 16 KiB header limit of the local adapter meets the 40,000-character query (API Gateway has its own limit)
      if (res.status === 431) continue;
      if (res.status >= 500) finding(`${method} ${path}: ${res.status} ${res.body?.detail ?? ''}`, example);
      const op2 = checker.operationFor(method, url);
      for (const p of op2 ? checker.check(op2, res) : [`no operation for ${url}`]) finding(p.replace(/"[^"]{20,}"/g, '"…"').slice(0, 200), example);
      if (res.status < 300 && sample.rawBody === null && validateBody && text !== undefined && !validateBody(body)) {
        const why = (validateBody.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');
        finding(`${method} ${path}: accepted a body the document calls invalid (${why.slice(0, 160)})`, example);
      }
      if (res.status < 300 && qs) {
        for (const [k, v] of sample.query) {
          const schema = query.find((q) => q.name === k)?.schema;
          const counted = sample.query.filter(([k2]) => k2 === k).length;
          if (!schema) continue; // an operation without query parameters ignores them (as documented nowhere; noted)
          if (counted > 1) finding(`${method} ${path}: accepted a repeated query parameter ${k}`, example);
          else {
            const val = schema.type === 'integer' ? (/^-?\d+$/.test(decodeURIComponent(v)) ? Number(v) : v) : /%/.test(v) ? safeDecode(v) : v;
            if (!ajv.validate({ ...schema }, val)) finding(`${method} ${path}: accepted query ${k} the document calls invalid`, example);
          }
        }
      }
    }
  }
}

function safeDecode(v: string) {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

console.log(`tenant ${tenant}: ${requests} requests, ${findings.size} distinct findings`);
for (const [kind, example] of findings) console.log(`\n* ${kind}\n  ${example}`);
