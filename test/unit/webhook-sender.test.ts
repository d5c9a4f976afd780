import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { close, listen } from '../../local/listen.ts';
import { SafeWebhookSender, type Resolve } from '../../shared/adapters/webhook-sender.adapter.ts';
import { nextAttemptAt } from '../../shared/domain/webhook.ts';

const request = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });
const resolvingTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

let server: Server | undefined;
afterEach(async () => {
  if (server) await close(server);
  server = undefined;
});

/** A loopback server that answers as `handle` does, allowed as the local receiver. */
async function localReceiver(handle: Parameters<typeof createServer>[1]) {
  server = createServer(handle);
  const origin = `http://127.0.0.1:${await listen(server, 0)}`;
  return { origin, sender: new SafeWebhookSender({ timeoutMs: 300, localReceiverOrigin: origin }) };
}

describe('the webhook sender refuses what it must not reach', () => {
  it.each([
    ['a private address', ['10.0.0.5']],
    ['the metadata service', ['169.254.169.254']],
    ['a public and a private address at once', ['93.184.216.34', '192.168.0.10']],
    ['IPv6 loopback', ['::1']],
    ['an IPv4-mapped private address', ['::ffff:10.0.0.1']],
  ])('a host name that resolves to %s', async (_what, addresses) => {
    const sender = new SafeWebhookSender({ timeoutMs: 300, resolve: resolvingTo(...addresses) });
    expect(await sender.refusal('https://hooks.example.no/x')).toBe('address-refused');
    expect(await sender.post(request('https://hooks.example.no/x'))).toEqual({ delivered: false, error: 'address-refused' });
  });

  it('a host that resolves when saved and to a private address later (DNS rebinding) is refused at the attempt', async () => {
    let answer = '93.184.216.34';
    const sender = new SafeWebhookSender({ timeoutMs: 300, resolve: async () => [{ address: answer, family: 4 }] });
    expect(await sender.refusal('https://rebind.example.no/')).toBeUndefined();
    answer = '127.0.0.1';
    expect(await sender.post(request('https://rebind.example.no/'))).toEqual({ delivered: false, error: 'address-refused' });
  });

  it('a host that does not resolve, and plain HTTP', async () => {
    const sender = new SafeWebhookSender({ timeoutMs: 300, resolve: () => Promise.reject(new Error('ENOTFOUND')) });
    expect(await sender.refusal('https://nowhere.example.no/')).toBe('host-unknown');
    expect(await sender.refusal('http://93.184.216.34/')).toBe('not-https');
  });

  it('loopback other than the local receiver, even on its host', async () => {
    const { origin, sender } = await localReceiver((_req, res) => res.end());
    expect(await sender.refusal(`${origin}/ok`)).toBeUndefined();
    expect(await sender.refusal('https://127.0.0.1/')).toBe('address-refused');
    expect(await sender.refusal(origin.replace(/:\d+$/, ':1'))).toBe('not-https');
  });
});

describe('the webhook sender bounds each call', () => {
  it('gives up on a receiver that never answers, at its deadline', async () => {
    const { origin, sender } = await localReceiver(() => undefined);
    expect(await sender.post(request(`${origin}/slow`))).toEqual({ delivered: false, error: 'timeout' });
  });

  it('does not read an endless body: the status is the answer', async () => {
    const { origin, sender } = await localReceiver((_req, res) => {
      res.writeHead(200);
      const more = setInterval(() => res.write('x'.repeat(1024)), 1);
      res.on('close', () => clearInterval(more));
    });
    expect(await sender.post(request(`${origin}/endless`))).toEqual({ delivered: true, status: 200 });
  });

  it('counts a redirect as a failure and does not follow it', async () => {
    let calls = 0;
    const { origin, sender } = await localReceiver((_req, res) => {
      calls += 1;
      res.writeHead(307, { location: `/elsewhere` }).end();
    });
    expect(await sender.post(request(`${origin}/moved`))).toEqual({ delivered: false, error: 'redirect', status: 307 });
    expect(calls).toBe(1);
  });
});

describe('back-off', () => {
  it('retries with growing waits for 24 hours from the first attempt, the last one on the 24th hour', () => {
    const first = new Date('2027-01-01T00:00:00Z');
    const times = [first];
    for (let next = 2; ; next += 1) {
      const at = nextAttemptAt(next, first, times.at(-1)!);
      if (!at) break;
      times.push(at);
    }
    const waits = times.slice(1).map((t, i) => (t.getTime() - times[i]!.getTime()) / 1000);
    expect(waits.slice(0, 5)).toEqual([30, 120, 480, 1920, 7680]);
    expect(times.at(-1)!.getTime() - first.getTime()).toBe(24 * 3600_000);
    expect(times).toHaveLength(9);
  });
});
