import { describe, expect, it } from 'vitest';
import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LONGEST_EXPRESSION_BYTES } from '../../local/dynalite-expression-size.ts';
import { localTable } from './local-table.ts';

/** The local DynamoDB refuses an expression over 4 KB, as DynamoDB does (local/dynalite-expression-size.ts). */
const TABLE = 'frist-expression-size';
const local = localTable(TABLE);

/** `SET #a = :v` padded with spaces to `bytes` bytes. */
const updateOf = (bytes: number) => 'SET #a = :v'.padEnd(bytes, ' ');

async function update(expression: string, condition?: string) {
  try {
    await local.client().send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'T#firm' }, sk: { S: 'K#1' } },
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#a': 'a' },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      }),
    );
    return 'written';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('an expression over 4 KB', () => {
  it('is refused, naming the expression and its size; 4 KB exactly is taken', async () => {
    expect(await update(updateOf(LONGEST_EXPRESSION_BYTES))).toBe('written');
    expect(await update(updateOf(LONGEST_EXPRESSION_BYTES + 1))).toBe(
      'ValidationException: Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
    const condition = 'attribute_exists(#a)'.padEnd(5000, ' ');
    expect(await update('SET #a = :v', condition)).toBe(
      'ValidationException: Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 5000',
    );
  });

  it('is counted in bytes: a key condition of 2,100 two-byte characters is refused', async () => {
    const query = local.client().send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: `pk = :pk${' '.repeat(10)}`.padEnd(2100, '\u00a0'),
        ExpressionAttributeValues: { ':pk': { S: 'T#firm' } },
      }),
    );
    await expect(query).rejects.toThrow(/^Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 41\d\d$/);
  });
});
