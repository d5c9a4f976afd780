import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, expect, it, vi } from 'vitest';
import { problemErrors } from '../../functions/http/problem-errors.ts';
import { UnreadableTaskError } from '../../shared/errors.ts';

/**
 * ATTACK: the api's error log of a damaged task. UnreadableTaskError carries what of the item
 * still reads (its title, customer, deadline, plan) for DELETE; the problem answer names only
 * the id. The log line of the failed request must not print the rest either: the logger writes
 * every enumerable field of an error, and a task's title often names the customer.
 */
afterEach(() => vi.restoreAllMocks());

it('logs a request failed on a damaged task with its id and cause, not what of the item still reads', () => {
  // Wherever the logger writes (its own console on the process's streams, or the global one).
  const written: string[] = [];
  const record = (...chunks: unknown[]) => {
    written.push(chunks.map(String).join(' '));
    return true;
  };
  for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockImplementation(record);
  for (const method of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation(record);
  const remains = {
    id: 'task-1',
    title: 'MVA-melding for Ola Nordmann',
    customerId: 'customer-1',
    deadline: '2030-02-10',
    status: 'open',
    version: 3,
    createdAt: '2030-01-01T00:00:00Z',
    updatedAt: '2030-01-01T00:00:00Z',
    plan: { plannedAt: '2030-01-01T00:00:00Z', timeZone: 'Europe/Oslo', sendOn: 'any', occurrences: [] },
  } as unknown as ConstructorParameters<typeof UnreadableTaskError>[2];
  const error = new UnreadableTaskError('task-1', new Error('unexpected end of file'), remains);
  expect(error.remains).toBe(remains);
  const request = { event: { rawPath: '/tasks/task-1' }, error } as never;
  problemErrors(new Logger({ serviceName: 'test', logLevel: 'ERROR' })).onError!(request);
  const line = written.join('');
  expect(line).toContain('request failed');
  expect(line).toContain('task-1');
  expect(line).toContain('unexpected end of file');
  for (const secret of ['Ola Nordmann', 'customer-1', '2030-02-10', 'Europe/Oslo']) expect(line).not.toContain(secret);
});

it("logs no text of a damaged item's notices, which inflated bytes can quote in a JSON error", () => {
  const cause = new SyntaxError('Unexpected token \'e\', "esk ["message":"Hei Ola Nordmann"... is not valid JSON');
  const error = new UnreadableTaskError('task-1', cause);
  expect(String((error.cause as Error).message)).not.toContain('Ola Nordmann');
  expect(error.cause).toBeInstanceOf(SyntaxError);
});
