import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import conditionParser from 'dynalite/db/conditionParser.js';
import { PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { expressionParses } from '../../local/dynalite-expression-cache.ts';
import { localTable } from './local-table.ts';

/**
 * The local DynamoDB reuses an expression's parse for the next request with the same
 * expression, names and value types (local/dynalite-expression-cache.ts): each request still
 * gets what a fresh parse gives it, its own values, its own errors and its own unused names.
 */
const TABLE = 'frist-expression-cache';
const local = localTable(TABLE);

const key = (sk: string) => ({ pk: { S: 'T#firm' }, sk: { S: sk } });

/** An UpdateItem's outcome: the item after it, or the name and message of its error. */
async function update(sk: string, input: { set: string; condition?: string; names?: Record<string, string>; values?: Record<string, AttributeValue> }) {
  try {
    const out = await local.client().send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key(sk),
        UpdateExpression: input.set,
        ConditionExpression: input.condition,
        ExpressionAttributeNames: input.names,
        ExpressionAttributeValues: input.values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('a reused parse', () => {
  it('is reused, and binds each request its own values', async () => {
    const before = { ...expressionParses };
    for (let i = 0; i < 5; i += 1) {
      const item = await update(`K#${i}`, {
        set: 'SET #s = :s, #n = :n',
        names: { '#s': 'state', '#n': 'n' },
        values: { ':s': { S: `state ${i}` }, ':n': { N: String(i) } },
      });
      expect(item).toMatchObject({ state: { S: `state ${i}` }, n: { N: String(i) } });
    }
    expect(expressionParses.run - before.run).toBe(1);
    expect(expressionParses.reused - before.reused).toBe(4);
  });

  it('evaluates a condition with the values of its own request', async () => {
    const condition = { condition: '#s = :want', names: { '#s': 'state' } };
    await update('K#c', { set: 'SET #s = :s', names: { '#s': 'state' }, values: { ':s': { S: 'open' } } });
    const refused = await update('K#c', { set: 'SET #s = :s', ...condition, values: { ':s': { S: 'done' }, ':want': { S: 'claimed' } } });
    expect(refused).toMatch(/^ConditionalCheckFailedException/);
    const written = await update('K#c', { set: 'SET #s = :s', ...condition, values: { ':s': { S: 'done' }, ':want': { S: 'open' } } });
    expect(written).toMatchObject({ state: { S: 'done' } });
    const again = await update('K#c', { set: 'SET #s = :s', ...condition, values: { ':s': { S: 'done' }, ':want': { S: 'open' } } });
    expect(again).toMatch(/^ConditionalCheckFailedException/);
  });

  it('counts a name as used by the expression that uses it, whatever else the request used before', async () => {
    // The first request's update uses #a before its condition does, so a parse judged by what it
    // left unused would note the condition as using nothing, and the next request, whose update
    // does not use #a, would be refused for a name it gave and did not use.
    const condition = 'attribute_not_exists(#a) OR attribute_exists(#a)';
    const first = await update('K#u', { set: 'SET #a = :v', condition, names: { '#a': 'a' }, values: { ':v': { S: '1' } } });
    expect(first).toMatchObject({ a: { S: '1' } });
    const second = await update('K#u', { set: 'SET extra = :v', condition, names: { '#a': 'a' }, values: { ':v': { S: '2' } } });
    expect(second).toMatchObject({ a: { S: '1' }, extra: { S: '2' } });
  });

  it('still refuses a name or a value the request gives and does not use', async () => {
    const names = { '#a': 'a', '#b': 'b' };
    for (let i = 0; i < 2; i += 1) {
      expect(await update('K#n', { set: 'SET #a = :v', names, values: { ':v': { S: 'x' } } })).toBe(
        'ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}',
      );
      expect(await update('K#n', { set: 'SET #a = :v', names: { '#a': 'a' }, values: { ':v': { S: 'x' }, ':w': { S: 'y' } } })).toBe(
        'ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}',
      );
    }
  });

  it('checks the types of each request’s values: a value of another type is parsed again', async () => {
    const add = { set: 'SET #n = #n + :one', names: { '#n': 'n' } };
    await update('K#t', { set: 'SET #n = :zero', names: { '#n': 'n' }, values: { ':zero': { N: '0' } } });
    expect(await update('K#t', { ...add, values: { ':one': { N: '1' } } })).toMatchObject({ n: { N: '1' } });
    expect(await update('K#t', { ...add, values: { ':one': { S: '1' } } })).toMatch(
      /^ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: \+, operand type: S/,
    );
    expect(await update('K#t', { ...add, values: { ':one': { N: '1' } } })).toMatchObject({ n: { N: '2' } });
  });

  it('reports a syntax error each time, and BETWEEN looks at each request’s bounds', async () => {
    for (let i = 0; i < 2; i += 1)
      expect(await update('K#e', { set: 'SET = :v', values: { ':v': { S: 'x' } } })).toMatch(/^ValidationException: Invalid UpdateExpression: Syntax error/);
    const query = (low: string, high: string) =>
      local
        .client()
        .send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
            ExpressionAttributeValues: { ':pk': { S: 'T#firm' }, ':low': { S: low }, ':high': { S: high } },
          }),
        )
        .then((out) => out.Items?.map((item) => item.sk!.S))
        .catch((error: Error) => `${error.name}: ${error.message}`);
    expect(await query('K#0', 'K#2')).toEqual(['K#0', 'K#1', 'K#2']);
    expect(await query('K#2', 'K#0')).toMatch(/^ValidationException: .*BETWEEN operator requires upper bound to be greater than or equal to lower bound/);
  });

  it('keeps a query’s key condition and its filter apart from the same text as a condition', async () => {
    await local.client().send(new PutItemCommand({ TableName: TABLE, Item: { ...key('K#q'), state: { S: 'open' } } }));
    const query = await local.client().send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :q)',
        FilterExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':pk': { S: 'T#firm' }, ':q': { S: 'K#q' }, ':open': { S: 'open' } },
      }),
    );
    expect(query.Items?.map((item) => item.sk!.S)).toEqual(['K#q']);
    // The key condition's text used as an update's condition is no key condition: OR is allowed there.
    const or = await update('K#q', {
      set: 'SET #s = :s',
      condition: 'pk = :pk OR begins_with(sk, :q)',
      names: { '#s': 'state' },
      values: { ':s': { S: 'x' }, ':pk': { S: 'T#firm' }, ':q': { S: 'K#q' } },
    });
    expect(or).toMatchObject({ state: { S: 'x' } });
    const asKey = await local
      .client()
      .send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk OR begins_with(sk, :q)',
          ExpressionAttributeValues: { ':pk': { S: 'T#firm' }, ':q': { S: 'K#q' } },
        }),
      )
      .catch((error: Error) => `${error.name}: ${error.message}`);
    expect(asKey).toMatch(/^ValidationException: Invalid operator used in KeyConditionExpression: OR/);
  });

  it('holds no request’s values once its request is done', async () => {
    // A kept parse would otherwise hold its first request's values (up to 400 KB each) for as
    // long as it is kept: thousands of them.
    const before = expressionParses.run;
    const value = parsedOnce('#k = :big', { S: 'x'.repeat(40_000) });
    expect(expressionParses.run - before).toBe(1);
    // A weak reference is cleared only after the job that made it, by a full collection.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(value.deref()).toBeUndefined();
  });

  it('keeps no expression too long for DynamoDB (refused before it is parsed), nor one given thousands of names', () => {
    const long = Array.from({ length: 800 }, () => '#k = :big').join(' OR ');
    expect(long.length).toBeGreaterThan(8192);
    const names = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`#n${i}`, `name${i}`]));
    const before = { ...expressionParses };
    for (let i = 0; i < 2; i += 1) {
      expect(() => parsedOnce(long, { S: 'x' })).toThrow(/^Expression size has exceeded the maximum allowed size; expression size: \d+$/);
      parsedOnce('#k = :big', { S: 'x' }, names);
    }
    expect(expressionParses).toEqual(before);
  });
});

/** Parses a condition as dynalite does, with one value (and any names beside #k); answers a weak reference to that value. */
function parsedOnce(expression: string, attributeValue: object, moreNames: Record<string, string> = {}): WeakRef<object> {
  const context = {
    attrNames: { '#k': 'kept', ...moreNames },
    attrVals: { ':big': attributeValue },
    unusedAttrNames: {},
    unusedAttrVals: {},
    isReserved: () => false,
  };
  expect(conditionParser.parse(expression, { context })).toHaveProperty('expression');
  return new WeakRef(attributeValue);
}

/** A full garbage collection (node exposes `gc` to a context made after the flag is set). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
