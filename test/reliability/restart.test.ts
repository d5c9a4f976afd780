import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startLocalStack } from '../../local/local-stack.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { apiClient } from '../integration/harness.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

it("a persisted local stack, stopped across its notices' time and started again, sends them late", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'frist-restart-'));
  dirs.push(dataDir);
  const clock = new TestClock(new Date('2027-05-01T10:00:00Z'));
  const options = { persist: true, dataDir, clock, port: 0, env: { LOG_LEVEL: 'SILENT' } };

  const first = await startLocalStack(options);
  const api = apiClient(first.apiUrl, await first.token('firm-restart'));
  // Down for 30 hours, through a night: quiet hours (tested on their own) would hold the SMS.
  await api.put('/settings', {
    smsAccount: { username: 'firm', password: 'hemmelig' },
    quietHours: { enabled: false, start: '21:00', end: '08:00' },
    version: 0,
  });
  const customer = await createCustomer(api, { name: 'Åse', email: 'ase@example.no', mobile: '+4741234567' });
  const notice = { when: 'before', offset: 'PT0S', channels: ['email', 'sms'], subject: 'Frist', message: 'Husk fristen.' };
  const soon = await createTask(api, customer.id, { deadline: '2027-05-01T10:30:00Z', notices: [notice] });
  const later = await createTask(api, customer.id, { deadline: '2027-05-01T13:00:00Z', notices: [notice] });
  await first.stop();

  // Down from 10:00 to 12:00: the first notice's time passes while nothing runs.
  clock.set('2027-05-01T12:00:00Z');
  const second = await startLocalStack(options);
  const again = apiClient(second.apiUrl, await second.token('firm-restart'));
  clock.advance(60_000);
  await second.runDue();
  const states = async (taskId: string) =>
    ((await again.get(`/tasks/${taskId}/deliveries`)).body.items as { channel: string; state: string }[]).map((d) => `${d.channel} ${d.state}`);
  expect(await states(soon.id)).toEqual(['email sent', 'sms sent']);
  // The later notice's schedule, lost with the emulator's memory, is back and fires on time.
  expect(await states(later.id)).toEqual(['email pending', 'sms pending']);
  clock.set('2027-05-01T13:00:30Z');
  await second.runDue();
  expect(await states(later.id)).toEqual(['email sent', 'sms sent']);
  expect(second.sms.sent).toHaveLength(2);
  await second.stop();
});
