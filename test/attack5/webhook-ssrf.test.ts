import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafeWebhookSender } from '../../shared/adapters/webhook-sender.adapter.ts';
import { TestClock } from '../integration/clock.ts';
import { fieldRules } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

// A hostile firm's webhook URL, in every spelling of an internal address we could think of.
// A public name (resolved to a public address here) is the control: it must pass.
const publicName = new SafeWebhookSender({ timeoutMs: 300, resolve: async () => [{ address: '93.184.216.34', family: 4 }] });

describe('the sender refuses internal addresses however they are written', () => {
  it.each([
    ['decimal', 'https://2130706433/'],
    ['hex and short', 'https://0x7f.1/'],
    ['octal', 'https://0177.0.0.1/'],
    ['two parts', 'https://127.1/'],
    ['zero', 'https://0/'],
    ['0.0.0.0', 'https://0.0.0.0/'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'https://[::1]/'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped, long form', 'https://[0:0:0:0:0:ffff:7f00:1]/'],
    ['IPv4-compatible loopback', 'https://[::127.0.0.1]/'],
    ['IPv4-compatible metadata service', 'https://[::169.254.169.254]/'],
    ['NAT64 metadata service', 'https://[64:ff9b::169.254.169.254]/'],
    ['unique local', 'https://[fd00::1]/'],
    ["AWS's IPv6 metadata service", 'https://[fd00:ec2::254]/'],
    ['Alibaba-style metadata in carrier-grade NAT', 'https://100.100.100.200/'],
  ])('%s: %s', async (_what, url) => {
    expect(await publicName.refusal(url)).toBe('address-refused');
  });

  it('lets a public name and a public IPv6 address through', async () => {
    expect(await publicName.refusal('https://hooks.example.no/x')).toBeUndefined();
    expect(await publicName.refusal('https://[2001:4860:4860::8888]/')).toBeUndefined();
  });

  it('gives up on a name whose DNS never answers at the deadline, when saved and at an attempt', async () => {
    const deadDns = new SafeWebhookSender({ timeoutMs: 200, resolve: () => new Promise(() => undefined) });
    expect(await deadDns.refusal('https://black-hole.example.no/')).toBe('host-unknown');
    expect(await deadDns.post({ url: 'https://black-hole.example.no/', headers: {}, body: '{}' })).toEqual({ delivered: false, error: 'host-unknown' });
  });
});

describe('a webhook URL with a user name or password', () => {
  const clock = new TestClock(new Date('2027-10-04T08:00:00Z'));
  let stack: TestStack;
  let api: ApiClient;
  beforeAll(async () => {
    stack = await startTestStack({ clock });
    api = await stack.as('firm-hook-credentials');
  });
  afterAll(() => stack.stop());

  it('is refused, naming the field and the rule, on create and on a change, so no read ever shows the password', async () => {
    const withPassword = `${stack.webhookReceiverUrl.replace('http://', 'http://admin:hunter2@')}/frist`;
    const refused = await api.post('/webhooks', { url: withPassword, eventTypes: ['notice.sent'] });
    expect(refused.status).toBe(422);
    expect(fieldRules(refused.body)).toEqual(['url webhook-credentials']);
    expect((await api.get('/webhooks')).body.items).toEqual([]);

    const webhook = (await api.post('/webhooks', { url: `${stack.webhookReceiverUrl}/frist`, eventTypes: ['notice.sent'] })).body;
    const changed = await api.patch(`/webhooks/${webhook.id}`, { url: withPassword, version: webhook.version });
    expect(fieldRules(changed.body)).toEqual(['url webhook-credentials']);
    expect(JSON.stringify((await api.get(`/webhooks/${webhook.id}`)).body)).not.toContain('hunter2');
  });
});
