import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startLocalStack } from '../../local/local-stack.ts';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { apiClient } from '../integration/harness.ts';

// The local Scheduler keeps its schedules in memory, while the tasks' "schedules confirmed"
// marks survive a --persist restart in the table. The run at start checked only the next two
// days; every later run trusts the marks, so a notice due three days after the restart had no
// schedule at its time and went out only when the overdue sweep found it, late.
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

it('a notice due days after a --persist restart gets its schedule back and goes out at its time', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'frist-restart-far-'));
  dirs.push(dataDir);
  const clock = new TestClock(new Date('2027-05-03T10:00:00Z'));
  const options = { persist: true, dataDir, clock, port: 0, env: { LOG_LEVEL: 'SILENT' } };

  const first = await startLocalStack(options);
  const api = apiClient(first.apiUrl, await first.token('firm-restart-far'));
  await api.put('/settings', { version: 0 });
  const customer = await createCustomer(api, { name: 'Åse', email: 'ase@example.no' });
  const notice = { when: 'before', offset: 'PT0S', channels: ['email'], subject: 'Frist', message: 'Husk fristen.' };
  const far = await createTask(api, customer.id, { deadline: '2027-05-06T10:00:00Z', notices: [notice] });
  await first.stop();

  clock.set('2027-05-03T11:00:00Z');
  const second = await startLocalStack(options);
  const again = apiClient(second.apiUrl, await second.token('firm-restart-far'));
  // The runs every 15 minutes as the stack makes them, the last one an hour before the notice.
  for (const at of ['2027-05-04T11:00:00Z', '2027-05-05T11:00:00Z', '2027-05-06T09:00:00Z']) {
    clock.set(at);
    await reconcileSchedules(second.reconcilerPorts, { horizonHours: 48, graceMinutes: 15 });
  }
  clock.set('2027-05-06T10:00:30Z');
  await second.runDue();

  const deliveries = (await again.get(`/tasks/${far.id}/deliveries`)).body.items as { channel: string; state: string }[];
  expect(deliveries.map((d) => `${d.channel} ${d.state}`)).toEqual(['email sent']);
  await second.stop();
});
