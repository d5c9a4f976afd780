import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressionParses } from '../../local/dynalite-expression-cache.ts';
import { startDynamoDb, type LocalDynamoDb } from '../../local/local-dynamodb.ts';

/**
 * The same requests to the local DynamoDB (which reuses expression parses) and to a dynalite
 * without the reuse, in a process of its own: every answer must be the same, byte for byte.
 * The requests are drawn from a fixed seed: a few expressions, so that they repeat, with names
 * and values of every type, missing, unused or conflicting, on every action that takes one.
 */
const TABLE = 'frist-differential';
const REQUESTS = 1500;
let cached: LocalDynamoDb;
let plain: { endpoint: string; process: ChildProcess };

/** dynalite as the package gives it, on a free loopback port that it prints. */
const PLAIN_DYNALITE = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

beforeAll(async () => {
  cached = await startDynamoDb();
  const child = spawn(process.execPath, ['-e', PLAIN_DYNALITE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`dynalite exited: ${code}`)));
  });
  plain = { endpoint: `http://127.0.0.1:${port}`, process: child };
  const table = {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', 'gk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'by-gk', KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  };
  for (const endpoint of [cached.endpoint, plain.endpoint]) expect(await send(endpoint, 'CreateTable', table)).toMatch(/^200 /);
});
afterAll(async () => {
  plain?.process.kill();
  await cached?.stop();
});

describe('the local DynamoDB with reused parses', () => {
  it('answers every request as dynalite without them does', async () => {
    const random = seeded(7);
    const before = { ...expressionParses };
    const differences: string[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const [action, body] = aRequest(random);
      const [withReuse, without] = [await send(cached.endpoint, action, body), await send(plain.endpoint, action, body)];
      if (withReuse !== without) differences.push(`${action} ${JSON.stringify(body)}\n  reused: ${withReuse}\n  fresh:  ${without}`);
    }
    expect(differences.slice(0, 5)).toEqual([]);
    // Not a comparison of two fresh parses: most parses were kept ones, reused.
    expect(expressionParses.reused - before.reused).toBeGreaterThan(expressionParses.run - before.run);
  });

  it('gives each of many requests in flight at once its own values', async () => {
    const random = seeded(11);
    for (let round = 0; round < 10; round += 1) {
      // Each request of a round writes its own item, so the order they are served in changes nothing.
      const bodies = Array.from({ length: 20 }, (_, i) => ({
        TableName: TABLE,
        Key: { pk: { S: 'P#parallel' }, sk: { S: `S#${i}` } },
        UpdateExpression: 'SET #a = :v, #b = if_not_exists(#b, :n) ADD #c :one',
        ConditionExpression: 'attribute_not_exists(#a) OR #a <> :v',
        ExpressionAttributeNames: { '#a': 'a', '#b': 'b', '#c': 'c' },
        ExpressionAttributeValues: { ':v': aValue(random, 'S'), ':n': aValue(random, 'N'), ':one': { N: String(i) } },
        ReturnValues: 'ALL_NEW',
      }));
      const [withReuse, without] = await Promise.all(
        [cached.endpoint, plain.endpoint].map((endpoint) => Promise.all(bodies.map((body) => send(endpoint, 'UpdateItem', body)))),
      );
      expect(withReuse).toEqual(without);
    }
  });
});

/** A DynamoDB request as the wire carries it (not the SDK, which refuses some of these before sending). */
function send(endpoint: string, action: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const call = request(
      `${endpoint}/`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${action}`,
          'x-amz-date': '20260101T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/eu-north-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(`${response.statusCode} ${text}`));
      },
    );
    call.on('error', reject);
    call.end(JSON.stringify(body));
  });
}

type Random = () => number;

/** A small deterministic generator (mulberry32), so that a difference found is found again. */
function seeded(seed: number): Random {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;

// Expressions over the names #a #b #c and the values :v :w :n: among them ones with a type check,
// a function, a nested path, a list index, a reserved word, redundant parentheses, a misused
// function, an unknown one, conflicting paths and a section given twice.
const CONDITIONS = [
  '#a = :v',
  '#a <> :v AND attribute_exists(#b)',
  'attribute_not_exists(#a) OR #a < :v',
  'size(#a) > :n',
  'size(:v) > :n',
  'begins_with(#a, :v)',
  'contains(#a, :v)',
  '#a IN (:v, :w, :n)',
  'NOT #a = :v',
  '(#a = :v)',
  '#a.#b = :v OR #a[1] = :w',
  '#a = #a',
  'attribute_exists(:v)',
  'foo(#a)',
  'size(#a)',
  '#a = :v AND #b = :w AND #c = :n',
  'status = :v',
  'x = :v',
  '#a = :v AND (#b = :w OR #c = :n)',
  // The text of a key condition, and the two that look into values (parsed each time).
  'pk = :v AND begins_with(sk, :w)',
  '#a BETWEEN :v AND :w',
  'attribute_type(#a, :v)',
];
const UPDATES = [
  'SET #a = :v',
  'SET #a = :v, #b = :w',
  'SET #a = #a + :n',
  'SET #a = :n - #a',
  'SET #a = list_append(#a, :v)',
  'SET #a = if_not_exists(#a, :v)',
  'ADD #a :v',
  'DELETE #a :v',
  'REMOVE #a',
  'SET #a = :v REMOVE #b',
  'SET #a.#b = :v',
  'SET #a[1] = :v',
  'SET #a = :v, #a = :w',
  'SET #a = :v, #a.#b = :w',
  'SET #a = :v SET #b = :w',
  'ADD #a :n SET #b = :v',
  'SET #a = :v + :w',
  'SET #a = foo(:v)',
  'SET #c = :n, #b = #a',
];
const PROJECTIONS = ['#a', '#a, #b', '#a.#b', '#a[0]', 'pk, #a', '#a, #a', 'status', '#a.#b, #a'];
const KEY_CONDITIONS = [
  'pk = :v',
  'pk = :v AND sk > :w',
  'pk = :v AND begins_with(sk, :w)',
  'pk = :v AND #a = :w',
  'pk = :v OR sk = :w',
  'pk = :v AND sk BETWEEN :w AND :n',
];
// Attribute names, the keys and the index key among them (which an update may not change).
const ATTRIBUTES = ['a', 'b', 'c', 'status', 'pk', 'sk', 'gk'];
const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'L', 'M'] as const;

/** One request of any action that takes an expression. */
function aRequest(random: Random): [string, Record<string, unknown>] {
  const key = { pk: { S: pick(random, ['P#1', 'P#2']) }, sk: { S: pick(random, ['S#1', 'S#2', 'S#3']) } };
  const maybe = (expressions: string[]) => (random() < 0.5 ? pick(random, expressions) : undefined);
  const action = pick(random, ['PutItem', 'UpdateItem', 'UpdateItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'Query', 'Scan', 'BatchGetItem']);
  const returnValues = pick(random, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
  switch (action) {
    case 'PutItem':
      return [
        action,
        withNamesAndValues(random, { TableName: TABLE, Item: { ...key, x: aValue(random) }, ConditionExpression: maybe(CONDITIONS), ReturnValues: 'ALL_OLD' }),
      ];
    case 'UpdateItem':
      return [
        action,
        withNamesAndValues(random, {
          TableName: TABLE,
          Key: key,
          UpdateExpression: pick(random, UPDATES),
          ConditionExpression: maybe(CONDITIONS),
          ReturnValues: returnValues,
        }),
      ];
    case 'DeleteItem':
      return [action, withNamesAndValues(random, { TableName: TABLE, Key: key, ConditionExpression: maybe(CONDITIONS), ReturnValues: 'ALL_OLD' })];
    case 'GetItem':
      return [action, withNamesAndValues(random, { TableName: TABLE, Key: key, ProjectionExpression: pick(random, PROJECTIONS) })];
    case 'Query':
      return [
        action,
        withNamesAndValues(random, {
          TableName: TABLE,
          KeyConditionExpression: pick(random, KEY_CONDITIONS),
          FilterExpression: maybe(CONDITIONS),
          ProjectionExpression: maybe(PROJECTIONS),
        }),
      ];
    case 'Scan':
      return [action, withNamesAndValues(random, { TableName: TABLE, FilterExpression: maybe(CONDITIONS), ProjectionExpression: maybe(PROJECTIONS) })];
    default:
      return [action, { RequestItems: { [TABLE]: withNamesAndValues(random, { Keys: [key], ProjectionExpression: pick(random, PROJECTIONS) }) } }];
  }
}

/** The request with names and values for its expressions: mostly those they use, at times one more or one fewer. */
function withNamesAndValues(random: Random, request: Record<string, unknown>): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  const text = Object.values(given)
    .filter((value) => typeof value === 'string')
    .join(' ');
  const names: Record<string, string> = {};
  // Mostly the same attribute for a name and the same type for a value, so that parses repeat.
  for (const name of new Set(text.match(/#\w+/g))) names[name] = random() < 0.93 ? name.slice(1) : pick(random, ATTRIBUTES);
  const values: Record<string, unknown> = {};
  for (const name of new Set(text.match(/:\w+/g))) values[name] = aValue(random, random() < 0.93 ? (name === ':n' ? 'N' : 'S') : pick(random, TYPES));
  if (random() < 0.05) names['#unused'] = 'y';
  if (random() < 0.05) values[':unused'] = aValue(random);
  if (random() < 0.05) delete names[pick(random, Object.keys(names))];
  if (random() < 0.05) delete values[pick(random, Object.keys(values))];
  if (Object.keys(names).length) given.ExpressionAttributeNames = names;
  if (Object.keys(values).length) given.ExpressionAttributeValues = values;
  return given;
}

/** An attribute value of the given type, or of any type, with contents drawn small so that they repeat. */
function aValue(random: Random, type: (typeof TYPES)[number] = pick(random, TYPES)): Record<string, unknown> {
  const string = () => pick(random, ['', 'a', 'b', 'P#1', 'S#2', 'x'.repeat(40_000)]);
  const number = () => pick(random, ['0', '1', '-2', '3.5', '1e3']);
  switch (type) {
    case 'S':
      return { S: string() };
    case 'N':
      return { N: number() };
    case 'B':
      return { B: pick(random, ['AA==', 'AQI=']) };
    case 'BOOL':
      return { BOOL: random() < 0.5 };
    case 'NULL':
      return { NULL: true };
    case 'SS':
      return { SS: [...new Set([string(), string()])] };
    case 'NS':
      return { NS: [...new Set([number(), number()])] };
    case 'L':
      return { L: [aValue(random, 'S'), aValue(random, 'N')] };
    default:
      return { M: { b: aValue(random, 'S'), c: aValue(random, 'N') } };
  }
}
