import { createServer, request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen, LOOPBACK } from '../../local/listen.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * A sent e-mail's record is written with its warning mark noted side by side (noteAlongside).
 * Here DynamoDB refuses every write of the `sent` record (500, past the SDK's retries and the
 * two retries after the send), while its answers to the warning mark's notes come late: the
 * invocation must not return while a note it started is still under way. Lambda freezes what
 * is left running and resumes it in a later invocation, or never.
 */
const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
const DUE = '2030-02-07T08:00:00Z';
/** How long the front holds DynamoDB's answer to a warning mark's note: far longer than the refused writes take. */
const MARK_ANSWER_HELD_MS = 5_000;
let stack: TestStack;

/** In front of the local DynamoDB while armed: refuses the sent record's writes, holds the mark notes' answers. */
const front = { armed: false, refusedSentWrites: 0, marksUnanswered: 0, marksNoted: 0 };

async function startFront(target: string): Promise<string> {
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const update = front.armed && String(incoming.headers['x-amz-target']).endsWith('.UpdateItem');
      const sk = update ? String((JSON.parse(body.toString()) as { Key?: { sk?: { S?: string } } }).Key?.sk?.S) : '';
      if (sk.startsWith('D#') && body.includes('{"S":"sent"}')) {
        front.refusedSentWrites += 1;
        answer.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        answer.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
        return;
      }
      const mark = sk.startsWith('AM#');
      const forward = request(target, { method: incoming.method, path: incoming.url, headers: incoming.headers }, (reply) => {
        const replied: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => replied.push(chunk));
        reply.on('end', () => {
          const send = () => {
            answer.writeHead(reply.statusCode ?? 500, reply.headers);
            answer.end(Buffer.concat(replied));
          };
          if (!mark) return send();
          front.marksNoted += 1;
          front.marksUnanswered += 1;
          setTimeout(() => {
            front.marksUnanswered -= 1;
            send();
          }, MARK_ANSWER_HELD_MS).unref();
        });
      });
      forward.end(body);
    });
  });
  server.unref();
  return `http://${LOOPBACK}:${await listen(server, 0)}`;
}

beforeAll(async () => {
  stack = await startTestStack({ clock, schedulerConcurrency: 1, frontDynamoDb: startFront });
}, 60_000);
afterAll(() => stack.stop());

it('a sent record that cannot be written leaves no warning-mark note running behind the invocation', async () => {
  const api = await stack.as('firm-mark-alongside');
  await api.put('/settings', { firm: { name: 'Merke AS' }, emailSender: { from: 'post@merke.example' }, version: 0 });
  const customer = await createCustomer(api, { email: 'post@kunde.example' });
  await createTask(api, customer.id, { deadline: '2030-02-10', notices: [emailNotice({ subject: 'Frist' })] });

  clock.set(DUE);
  await stack.scheduler.runDue();
  front.armed = true;
  await stack.dispatchSource.runDue();
  const unansweredAtReturn = front.marksUnanswered;
  front.armed = false;

  // The send happened, its record could not be written: the message must come back.
  expect((await stack.outbox()).emails).toHaveLength(1);
  expect(front.refusedSentWrites).toBeGreaterThan(0);
  expect(front.marksNoted).toBeGreaterThan(0);
  expect(stack.dispatchSource.invocations[0]!.failed).toHaveLength(1);
  expect(unansweredAtReturn).toBe(0);
}, 120_000);
