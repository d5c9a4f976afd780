import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSmsGateway } from '../../local/fake-sms-gateway.ts';
import { close, listen } from '../../local/listen.ts';
import { GenericHttpSmsGateway, SveveSmsGateway } from '../../shared/adapters/sms-gateway.adapter.ts';
import { DeliveryError } from '../../shared/errors.ts';
import type { SmsMessage } from '../../shared/ports.ts';

const message: SmsMessage = {
  account: { username: 'firma', password: 'hemmelig' },
  from: 'TallOgTid',
  to: '+4791234567',
  text: 'Hei Åse, fristen er fredag.',
  reference: 'task-notice-20270201T080000Z-sms',
};

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

async function failure(send: Promise<unknown>): Promise<DeliveryError> {
  const error = await send.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe.each([
  ['generic', (base: string) => new GenericHttpSmsGateway(base, 300)],
  ['sveve', (base: string) => new SveveSmsGateway(base, 300)],
] as const)('the %s SMS adapter', (protocol, make) => {
  it('sends with the account, sender, recipient, text and reference, and returns the provider id', async () => {
    const { providerId } = await make(url).send(message);
    expect(gateway.sent).toEqual([
      expect.objectContaining({ id: providerId, protocol, username: 'firma', from: 'TallOgTid', to: '+4791234567', text: message.text, reference: message.reference }),
    ]);
  });

  it('treats a 5xx as transient', async () => {
    gateway.failNext(503);
    expect((await failure(make(url).send(message))).transient).toBe(true);
  });

  it('treats a 4xx as permanent', async () => {
    gateway.failNext(400);
    expect((await failure(make(url).send(message))).transient).toBe(false);
  });

  it('treats a timeout as transient', async () => {
    expect((await failure(make(silentUrl).send(message))).transient).toBe(true);
  });
});

describe('the Sveve adapter', () => {
  it('reads a refusal Sveve answers with 200 as permanent', async () => {
    const error = await failure(new SveveSmsGateway(url, 300).send({ ...message, account: { username: '', password: '' } }));
    expect(error).toMatchObject({ transient: false, message: 'Sveve refused the SMS: Feil brukernavn/passord' });
  });
});
