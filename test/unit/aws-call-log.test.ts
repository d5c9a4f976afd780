import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { awsCallFile, readAwsCalls } from '../iam/aws-call-log.ts';

/**
 * A run of the suites that starts while another runs in the same checkout clears the folder of
 * recorded calls (vitest's globalSetup): the other run's recorder must go on recording, not
 * throw into the AWS call it records (every request of that run answered 500).
 */
it('records a call after its folder was cleared by another run', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'aws-calls-')), 'calls');
  const record = awsCallFile(dir);
  rmSync(dir, { recursive: true, force: true });
  expect(() => record('api', { service: 'DynamoDB', command: 'GetItemCommand', input: { TableName: 'frist' } })).not.toThrow();
  expect(readAwsCalls(dir)).toEqual([{ fn: 'api', service: 'DynamoDB', command: 'GetItemCommand', input: { TableName: 'frist' } }]);
  rmSync(join(dir, '..'), { recursive: true, force: true });
});
