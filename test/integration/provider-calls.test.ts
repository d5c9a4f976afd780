import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSmsGateway } from '../../local/fake-sms-gateway.ts';
import { FaultProxy } from '../../local/fault-proxy.ts';
import { close, listen, LOOPBACK } from '../../local/listen.ts';
import { sesInbox, startSes, type LocalSes } from '../../local/local-aws-services.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { buildMime } from '../../shared/adapters/mime-message.ts';
import { buildSendingPorts } from '../../shared/composition-dispatch.ts';
import { parseConfig } from '../../shared/config.ts';
import type { RawEmail, SendingPorts } from '../../shared/ports.ts';
import { deliveryFailure, smsMessage } from './fixtures.ts';

/**
 * Every send is one provider call, and a failed one says whether the provider may have the
 * message. The clients are dispatch's own, built by composition.ts; the faults happen on the
 * wire between them and the real stand-ins (aws-ses-v2-local behind a FaultProxy, the fake
 * SMS gateway), so what is asserted is what the SDK and fetch really do.
 */

const SES_TIMEOUT_MS = 400;
const SMS_TIMEOUT_MS = 300;

let ses: LocalSes;
let sesProxy: FaultProxy;
let sesUrl: string;
let gateway: FakeSmsGateway;
let gatewayUrl: string;

/** Dispatch's sending ports as composition.ts builds them, pointed at the stand-ins. */
function sendingPorts(env: Record<string, string> = {}): SendingPorts {
  const config = parseConfig({
    TABLE_NAME: 'unused-here',
    DOCUMENT_BUCKET: 'unused-here',
    LOG_LEVEL: 'SILENT',
    SES_ENDPOINT: sesUrl,
    SES_TIMEOUT_MS: String(SES_TIMEOUT_MS),
    SMS_BASE_URL: gatewayUrl,
    SMS_TIMEOUT_MS: String(SMS_TIMEOUT_MS),
    // Dispatch publishes webhook events there; these tests call the senders only.
    WEBHOOKS_QUEUE_URL: 'http://127.0.0.1:9/queue/unused-here',
    ...env,
  });
  return buildSendingPorts(config, { credentials: { ses: LOCAL_CREDENTIALS } });
}

/** A URL on which nothing listens: a provider that is down. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server, 0);
  await close(server);
  return `http://${LOOPBACK}:${port}`;
}

/** How many e-mails the SES stand-in holds, asked directly (not through the proxy). */
async function emailsAtSes(): Promise<number> {
  return (await sesInbox(ses.endpoint)).length;
}

const email = (): RawEmail => ({
  from: 'varsel@tallogtid.example',
  to: 'ola@nordmann.example',
  raw: buildMime({
    from: { address: 'varsel@tallogtid.example', name: 'Tall og Tid' },
    to: { address: 'ola@nordmann.example', name: 'Ola Nordmann' },
    subject: 'Frist for MVA-melding',
    text: 'Hei Ola, husk MVA-meldingen.',
    html: '<p>Hei Ola, husk MVA-meldingen.</p>',
    messageId: '<delivery-1@frist>',
    date: new Date('2027-02-07T08:00:00Z'),
  }),
  tags: { tenantId: 'firm-provider-calls', customerId: 'customer-1' },
});

beforeAll(async () => {
  ses = await startSes();
  sesProxy = new FaultProxy(ses.endpoint);
  sesUrl = await sesProxy.start();
  gateway = new FakeSmsGateway();
  gatewayUrl = await gateway.start();
});
afterAll(async () => {
  await sesProxy.stop();
  await ses.stop();
  await gateway.stop();
});
beforeEach(async () => {
  sesProxy.clear();
  gateway.clear();
  await fetch(`${ses.endpoint}/clear-store`, { method: 'POST' });
});

describe('an e-mail is one SES call', () => {
  it('sends through the stand-ins when nothing goes wrong', async () => {
    const { messageId } = await sendingPorts().mailer.sendRaw(email());
    expect(messageId).not.toBe('');
    expect(sesProxy.requests).toBe(1);
    expect(await emailsAtSes()).toBe(1);
  });

  it('reports a lost answer as unknown: SES has the e-mail, exactly once', async () => {
    sesProxy.loseResponseNext();
    const error = await deliveryFailure(sendingPorts().mailer.sendRaw(email()));
    expect(error).toMatchObject({ transient: true, outcome: 'unknown', code: 'connection-reset' });
    expect(sesProxy.requests).toBe(1);
    expect(await emailsAtSes()).toBe(1);
  });

  it('gives up on an answer slower than SES_TIMEOUT_MS and reports it unknown: SES has the e-mail, exactly once', async () => {
    sesProxy.delayNext(SES_TIMEOUT_MS + 1_000);
    const started = Date.now();
    const error = await deliveryFailure(sendingPorts().mailer.sendRaw(email()));
    expect(Date.now() - started).toBeLessThan(SES_TIMEOUT_MS + 500);
    expect(error).toMatchObject({ transient: true, outcome: 'unknown', code: 'timeout' });
    expect(sesProxy.requests).toBe(1);
    expect(await emailsAtSes()).toBe(1);
  });

  it.each([
    [400, 'ThrottlingException'],
    [429, 'TooManyRequestsException'],
  ])('reports a throttle (%i %s) as transient and not sent, without a retry of its own', async (status, errorType) => {
    // Only the first request is throttled: a client that retried would send the e-mail.
    sesProxy.failNext(status, errorType, 1);
    const error = await deliveryFailure(sendingPorts().mailer.sendRaw(email()));
    expect(error).toMatchObject({ transient: true, outcome: 'not-sent', code: 'ses-throttled' });
    expect(sesProxy.requests).toBe(1);
    expect(await emailsAtSes()).toBe(0);
  });

  it('reports MessageRejected as permanent, in words without the addresses SES echoed', async () => {
    sesProxy.failNext(
      400,
      'MessageRejected',
      1,
      'Email address is not verified. The following identities failed the check in region EU-NORTH-1: varsel@tallogtid.example',
    );
    const error = await deliveryFailure(sendingPorts().mailer.sendRaw(email()));
    expect(error).toMatchObject({
      transient: false,
      outcome: 'not-sent',
      code: 'ses-message-rejected',
      message: 'SES answered 400 MessageRejected: Email address is not verified. The following identities failed the check in region EU-NORTH-1: [e-mail]',
    });
    expect(sesProxy.requests).toBe(1);
  });

  it('reports SES out of reach as transient and not sent', async () => {
    const error = await deliveryFailure(sendingPorts({ SES_ENDPOINT: await closedUrl() }).mailer.sendRaw(email()));
    expect(error).toMatchObject({ transient: true, outcome: 'not-sent', code: 'connection-refused' });
  });
});

describe.each(['generic', 'sveve'] as const)('an SMS is one POST to the %s gateway', (provider) => {
  const smsGateway = (env: Record<string, string> = {}) => sendingPorts({ SMS_PROVIDER: provider, ...env }).sms;

  it('reports an answer later than SMS_TIMEOUT_MS as unknown: the gateway has the SMS, exactly once', async () => {
    gateway.answerAfter(SMS_TIMEOUT_MS + 700);
    const error = await deliveryFailure(smsGateway().send(smsMessage));
    expect(error).toMatchObject({ transient: true, outcome: 'unknown', code: 'timeout' });
    expect(gateway.sent).toEqual([expect.objectContaining({ protocol: provider, to: '+4791234567', reference: smsMessage.reference })]);
  });

  it('reports a gateway that is down as transient and not sent', async () => {
    const error = await deliveryFailure(smsGateway({ SMS_BASE_URL: await closedUrl() }).send(smsMessage));
    expect(error).toMatchObject({ transient: true, outcome: 'not-sent', code: 'connection-refused' });
  });

  it('reports a 429 as transient and not sent, without a retry of its own', async () => {
    gateway.failNext(429, 1);
    const error = await deliveryFailure(smsGateway().send(smsMessage));
    expect(error).toMatchObject({ transient: true, outcome: 'not-sent', code: 'sms-http-429' });
    expect(gateway.sent).toEqual([]);
  });

  it('reports a refused number as permanent, in words without the number', async () => {
    gateway.failNext(400, 1, 'Invalid recipient +47 912 34 567');
    const error = await deliveryFailure(smsGateway().send(smsMessage));
    expect(error).toMatchObject({
      transient: false,
      outcome: 'not-sent',
      code: 'sms-http-400',
      message: 'the SMS gateway answered 400: Invalid recipient [phone]',
    });
  });
});
