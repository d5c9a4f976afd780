import type { Context, SQSRecord } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { createWebhooksHandler, type WebhooksFunctionPorts } from '../../functions/webhooks/app.ts';
import type { WebhookEndpoint } from '../../shared/domain/webhook.ts';

/**
 * Every notice's `sent` and `delivered` events reach the webhooks queue, whether or not the
 * firm has webhooks: the function logs an event it fans out, and says nothing as deployed
 * (LOG_LEVEL INFO) of one no endpoint subscribes to.
 */
const TENANT = 'firm-log';

function endpoint(eventTypes: WebhookEndpoint['eventTypes'], enabled = true): WebhookEndpoint {
  return { id: `wh-${eventTypes.join('-')}`, url: 'https://example.test/hook', eventTypes, enabled, secret: { name: 'n', versionId: 'v' } } as WebhookEndpoint;
}

function harness(endpoints: WebhookEndpoint[]) {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const queued: unknown[] = [];
  const note =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, extra: Object.assign({}, ...extra) });
  const ports = {
    store: { listWebhooks: async () => endpoints },
    webhooks: { queue: { send: async (message: unknown) => void queued.push(message) } },
    log: { debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error') },
  } as unknown as WebhooksFunctionPorts;
  const handler = createWebhooksHandler(ports, { logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) });
  const record = (type: string, i: number) =>
    ({
      messageId: `m${i}`,
      body: JSON.stringify({ kind: 'event', tenantId: TENANT, event: { id: `evt_${i}`, type, timestamp: '2027-01-01T09:00:00Z', data: {} } }),
    }) as SQSRecord;
  const run = async (...types: string[]) => handler({ Records: types.map(record) }, {} as Context);
  return { lines, queued, run };
}

describe("the webhooks function's log", () => {
  it('says at debug only that an event had no subscriber, and at info what it fanned out', async () => {
    const { lines, queued, run } = harness([endpoint(['notice.sent']), endpoint(['notice.sent'], false)]);
    const result = await run('notice.sent', 'notice.delivered');
    expect(result.batchItemFailures).toEqual([]);
    expect(queued).toHaveLength(1);
    // The batch's messages are handled side by side: compared in the order of their types.
    const said = lines.map(({ level, message, extra }) => [level, message, extra.type, extra.outcome]);
    expect(said.sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
      ['debug', 'webhook message', 'notice.delivered', 'no-subscriber'],
      ['info', 'webhook message', 'notice.sent', 'fanned-out'],
    ]);
  });

  it('logs nothing above debug for a firm with no endpoints', async () => {
    const { lines, queued, run } = harness([]);
    await run('notice.sent', 'notice.delivered');
    expect(queued).toEqual([]);
    expect(lines.filter((l) => l.level !== 'debug')).toEqual([]);
    expect(lines).toHaveLength(2);
  });
});
