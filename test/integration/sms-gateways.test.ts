import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSmsGateway } from '../../local/fake-sms-gateway.ts';
import { close, listen } from '../../local/listen.ts';
import { GenericHttpSmsGateway, SveveSmsGateway } from '../../shared/adapters/sms-gateway.adapter.ts';
import { deliveryFailure, smsMessage } from './fixtures.ts';

let gateway: FakeSmsGateway;
let url: string;
let silent: Server;
let silentUrl: string;

beforeAll(async () => {
  gateway = new FakeSmsGateway();
  url = await gateway.start();
  // A gateway that accepts the connection and never answers.
  silent = createServer(() => undefined);
  silentUrl = `http://127.0.0.1:${await listen(silent, 0)}`;
});
afterAll(async () => {
  await gateway.stop();
  await close(silent);
});
beforeEach(() => gateway.clear());

describe.each([
  ['generic', (base: string) => new GenericHttpSmsGateway(base, 300)],
  ['sveve', (base: string) => new SveveSmsGateway(base, 300)],
] as const)('the %s SMS adapter', (protocol, make) => {
  it('sends with the account, sender, recipient, text and reference, and returns the provider id', async () => {
    const { providerId } = await make(url).send(smsMessage);
    expect(gateway.sent).toEqual([
      expect.objectContaining({
        id: providerId,
        protocol,
        username: 'firma',
        from: 'TallOgTid',
        to: '+4791234567',
        text: smsMessage.text,
        reference: smsMessage.reference,
      }),
    ]);
  });

  it('treats a 5xx as transient; nothing was sent', async () => {
    gateway.failNext(503);
    expect(await deliveryFailure(make(url).send(smsMessage))).toMatchObject({ transient: true, outcome: 'not-sent', code: 'sms-http-503' });
  });

  it('treats a 429 as transient and keeps its Retry-After, in seconds or as a date; nothing was sent', async () => {
    gateway.failNext(429, 1, 'slow down', { 'retry-after': '120' });
    expect(await deliveryFailure(make(url).send(smsMessage))).toMatchObject({
      transient: true,
      outcome: 'not-sent',
      code: 'sms-http-429',
      retryAfterMs: 120_000,
    });
    gateway.failNext(429, 1, 'slow down', { 'retry-after': new Date(Date.now() + 600_000).toUTCString() });
    const dated = await deliveryFailure(make(url).send(smsMessage));
    expect(dated.retryAfterMs).toBeGreaterThan(590_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(600_000);
    gateway.failNext(429, 1, 'slow down');
    expect((await deliveryFailure(make(url).send(smsMessage))).retryAfterMs).toBeUndefined();
  });

  it('treats a 4xx as permanent; nothing was sent', async () => {
    gateway.failNext(400);
    expect(await deliveryFailure(make(url).send(smsMessage))).toMatchObject({ transient: false, outcome: 'not-sent', code: 'sms-http-400' });
  });

  it('treats a timeout as transient, with an unknown outcome: the gateway may have the SMS', async () => {
    expect(await deliveryFailure(make(silentUrl).send(smsMessage))).toMatchObject({ transient: true, outcome: 'unknown', code: 'timeout' });
  });
});

describe('the Sveve adapter', () => {
  it('reads a refusal Sveve answers with 200 as permanent', async () => {
    const error = await deliveryFailure(new SveveSmsGateway(url, 300).send({ ...smsMessage, account: { username: '', password: '' } }));
    expect(error).toMatchObject({
      transient: false,
      outcome: 'not-sent',
      code: 'sms-refused',
      message: 'the SMS gateway refused the SMS: Feil brukernavn/passord',
    });
  });

  it('reads a 200 whose body breaks off as an unknown outcome: only the body says whether Sveve took the SMS', async () => {
    const cutOff = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        response.write('{"response":{"msgOkCount":1');
        setTimeout(() => response.socket?.destroy(), 10);
      });
    });
    const cutOffUrl = `http://127.0.0.1:${await listen(cutOff, 0)}`;
    try {
      const error = await deliveryFailure(new SveveSmsGateway(cutOffUrl, 300).send(smsMessage));
      expect(error).toMatchObject({ transient: true, outcome: 'unknown', code: 'response-unreadable' });
    } finally {
      await close(cutOff);
    }
  });
});
