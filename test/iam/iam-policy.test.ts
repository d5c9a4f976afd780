import { describe, expect, it } from 'vitest';
import { needsOf } from './aws-call-mapping.ts';
import { allows, wildcardMatch, type Statement } from './iam-policy.ts';
import { resolve } from './template-roles.ts';

const TABLE = 'arn:aws:dynamodb:eu-north-1:123456789012:table/frist';
const allow = (Action: string[], Resource: string[], Condition?: Statement['Condition']): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

describe('the matcher of the roles check', () => {
  it('refuses a call on a resource outside the statement', () => {
    const role = [allow(['dynamodb:GetItem'], [TABLE])];
    expect(allows(role, { action: 'dynamodb:GetItem', resource: `${TABLE}-other` })).toBe(false);
    expect(allows(role, { action: 'dynamodb:GetItem', resource: TABLE })).toBe(true);
  });

  it('refuses an action the statement does not name: the reconciler that could query but not read or write', () => {
    const reconciler = [allow(['dynamodb:Query', 'dynamodb:UpdateItem'], [TABLE, `${TABLE}/index/*`])];
    expect(allows(reconciler, { action: 'dynamodb:GetItem', resource: TABLE })).toBe(false);
    expect(allows(reconciler, { action: 'dynamodb:PutItem', resource: TABLE })).toBe(false);
  });

  it("matches IAM's wildcards in resources: `*` any run, `?` one character", () => {
    const role = [allow(['s3:PutObject'], ['arn:aws:s3:::docs/tenants/*']), allow(['dynamodb:Query'], [`${TABLE}/index/gsi?`])];
    expect(allows(role, { action: 's3:PutObject', resource: 'arn:aws:s3:::docs/tenants/t1/customers/c1/a.eml' })).toBe(true);
    expect(allows(role, { action: 's3:PutObject', resource: 'arn:aws:s3:::docs/other/a.eml' })).toBe(false);
    expect(allows(role, { action: 'dynamodb:Query', resource: `${TABLE}/index/gsi4` })).toBe(true);
    expect(allows(role, { action: 'dynamodb:Query', resource: `${TABLE}/index/gsi42` })).toBe(false);
  });

  it('compares actions without regard to case, and ARNs with it', () => {
    expect(wildcardMatch('DynamoDB:getitem', 'dynamodb:GetItem', true)).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::Docs/*', 'arn:aws:s3:::docs/a')).toBe(false);
  });

  it('allows passing a role only to the service the condition names', () => {
    const role = [allow(['iam:PassRole'], ['arn:aws:iam::123456789012:role/r'], { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } })];
    const need = { action: 'iam:PassRole', resource: 'arn:aws:iam::123456789012:role/r' };
    expect(allows(role, { ...need, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } })).toBe(true);
    expect(allows(role, { ...need, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe(false);
    expect(allows(role, need)).toBe(false);
  });

  it('lets a Deny win over an Allow', () => {
    const role = [allow(['s3:GetObject'], ['*']), { ...allow(['s3:GetObject'], ['arn:aws:s3:::docs/secret/*']), Effect: 'Deny' as const }];
    expect(allows(role, { action: 's3:GetObject', resource: 'arn:aws:s3:::docs/secret/a' })).toBe(false);
  });
});

describe('the mapping of calls to IAM', () => {
  const dev = (kind: string, local: string) => `${kind}:${local}`;

  it('authorizes a query of an index on the index, and an item read on the table', () => {
    const query = { fn: 'reconciler' as const, service: 'DynamoDBClient', command: 'QueryCommand', input: { TableName: 't', IndexName: 'gsi4' } };
    expect(needsOf(query, dev)).toEqual([{ action: 'dynamodb:Query', resource: 'arn:aws:dynamodb:eu-north-1:123456789012:table/table:t/index/gsi4' }]);
    expect(needsOf({ ...query, command: 'GetItemCommand', input: { TableName: 't' } }, dev)).toEqual([
      { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:eu-north-1:123456789012:table/table:t' },
    ]);
  });

  it('maps an SQS message to sqs:SendMessage on the queue the URL names', () => {
    const send = {
      fn: 'api' as const,
      service: 'SQSClient',
      command: 'SendMessageCommand',
      input: { QueueUrl: 'http://127.0.0.1:9324/000000000000/frist-q-local' },
    };
    expect(needsOf(send, dev)).toEqual([{ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:eu-north-1:123456789012:queue:frist-q-local' }]);
  });

  it('refuses to guess a client it has no mapping for', () => {
    expect(() => needsOf({ fn: 'api', service: 'KinesisClient', command: 'PutRecordCommand', input: {} }, dev)).toThrow(/add it to SERVICES/);
  });

  it('resolves the intrinsics of a template into an ARN', () => {
    const template = { Resources: { StorageTableB43FDCE7: { Type: 'AWS::DynamoDB::Table' } } };
    const value = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['StorageTableB43FDCE7', 'Arn'] }, '/index/', { Ref: 'AWS::Region' }]] };
    expect(resolve(template, value)).toBe('arn:aws:dynamodb:eu-north-1:123456789012:table/StorageTableB43FDCE7/index/eu-north-1');
  });
});
