import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * The document center reads the filed copy from S3. When S3 is busy (SlowDown) or failing
 * past the SDK's own retries, a reader gets 503 with Retry-After, as for DynamoDB, not a bare
 * 500; once S3 answers again the same request returns the copy.
 */
const clock = new TestClock(new Date('2027-03-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let documentId: string;

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as('firm-archive-errors');
  await api.put('/settings', {
    firm: { name: 'Tall og Tid', email: 'post@tallogtid.example' },
    emailSender: { from: 'varsel@tallogtid.example', displayName: 'Tall og Tid' },
    version: 0,
  });
  const customer = await createCustomer(api, { email: 'kari@nordmann.example' });
  const task = await createTask(api, customer.id, { deadline: '2027-03-01T10:05:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
  clock.set('2027-03-01T10:05:00Z');
  await stack.runDue();
  const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items as { state: string; documentId?: string }[];
  expect(delivery).toMatchObject({ state: 'sent', documentId: expect.any(String) });
  documentId = delivery!.documentId!;
});
afterAll(() => stack.stop());

describe('GET /documents/{id} while S3 fails', () => {
  it.each([
    [503, 'SlowDown'],
    [500, 'InternalError'],
  ])('answers 503 with Retry-After when S3 answers %i %s past the SDK’s retries, then the copy', async (status, code) => {
    const s3 = stack.s3Faults!;
    s3.clear();
    s3.failNext(status, code, 10);
    const busy = await api.get(`/documents/${documentId}`);
    expect(s3.requests).toBeGreaterThan(1);
    expect({ status: busy.status, type: busy.headers.get('content-type'), retryAfter: busy.headers.get('retry-after'), detail: busy.body.detail }).toEqual({
      status: 503,
      type: 'application/problem+json',
      retryAfter: '2',
      detail: 'the document store is busy; retry shortly',
    });
    s3.clear();
    const again = await api.get(`/documents/${documentId}`);
    expect(again.status).toBe(200);
  });

  it('answers 503 when every answer of S3 is lost on the way (the SDK sees a reset connection)', async () => {
    const s3 = stack.s3Faults!;
    s3.clear();
    s3.loseResponseNext(10);
    const busy = await api.get(`/documents/${documentId}`);
    expect({ status: busy.status, retryAfter: busy.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '2' });
    s3.clear();
    expect((await api.get(`/documents/${documentId}`)).status).toBe(200);
  });
});
