import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../shared/errors.ts';
import type { Ports } from '../../shared/ports.ts';
import { TestClock } from '../integration/clock.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

// A deleted webhook's signing secret must not stay in Secrets Manager: the firm deleted the
// endpoint, often because the secret leaked. A delete whose secret removal fails must be
// safe to retry and still remove it.
const TENANT = 'firm-hook-delete';
const clock = new TestClock(new Date('2027-10-04T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let failRemoves = 0;

const failingRemoves = (ports: Ports): Ports => ({
  ...ports,
  secrets: {
    ...ports.secrets,
    put: (...args) => ports.secrets.put(...args),
    get: (...args) => ports.secrets.get(...args),
    remove: async (...args) => {
      if (failRemoves-- > 0) throw new DependencyUnavailableError('the secret store is unavailable; retry shortly');
      return ports.secrets.remove(...args);
    },
  },
});

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapPorts: failingRemoves });
  api = await stack.as(TENANT);
});
afterAll(() => stack.stop());

// A forced delete runs in the background on AWS (the stand-in too): the secrets left once it has run.
const secretsOf = (id: string) => {
  stack.secretsManager.completeDeletions();
  return [...stack.secretsManager.secrets.keys()].filter((name) => name.endsWith(`/tenants/${TENANT}/webhook-${id}`));
};
const create = async () => {
  const res = await api.post('/webhooks', { url: `${stack.webhookReceiverUrl}/frist`, eventTypes: ['notice.sent'] });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};

describe('deleting a webhook', () => {
  it('deletes its signing secret from the secret store', async () => {
    const webhook = await create();
    expect(secretsOf(webhook.id)).toHaveLength(1);

    expect((await api.delete(`/webhooks/${webhook.id}`)).status).toBe(204);
    expect(secretsOf(webhook.id)).toEqual([]);
    expect((await api.get(`/webhooks/${webhook.id}`)).status).toBe(404);
  });

  it('answers 503 when the secret cannot be deleted, and the retry (404) deletes it', async () => {
    const webhook = await create();
    failRemoves = 1;
    expect((await api.delete(`/webhooks/${webhook.id}`)).status).toBe(503);
    expect((await api.get(`/webhooks/${webhook.id}`)).status).toBe(404);
    expect(secretsOf(webhook.id)).toHaveLength(1);

    expect((await api.delete(`/webhooks/${webhook.id}`)).status).toBe(404);
    expect(secretsOf(webhook.id)).toEqual([]);
  });

  it("keeps a firm's endpoint and secret when another firm deletes its id", async () => {
    const webhook = await create();
    const intruder = await stack.as('firm-hook-intruder');
    expect((await intruder.delete(`/webhooks/${webhook.id}`)).status).toBe(404);
    expect(secretsOf(webhook.id)).toHaveLength(1);
    expect((await api.get(`/webhooks/${webhook.id}`)).status).toBe(200);
  });
});
