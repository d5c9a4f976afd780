import type { ZoneChangeJob } from '../domain/job.ts';
import type { Settings } from '../domain/model.ts';
import type { Ports } from '../ports.ts';
import type { SettingsInput } from '../api/settings.schemas.ts';
import { checkSmsCeiling, checkVersion, getSettings, putSettings } from './settings.ts';
import { firmRules, sameRules } from '../domain/send-rules.ts';
import { createZoneChangeJob, sendStep } from './zone-change-job.ts';

/** The settings with the job of their latest change of time zone, if there was one. */
export interface SettingsWithJob {
  settings: Settings;
  timeZoneChange?: ZoneChangeJob;
}

/** The firm's settings and how far the latest change of time zone has come. */
export async function readSettings(ports: Ports, tenantId: string): Promise<SettingsWithJob> {
  const settings = await getSettings(ports, tenantId);
  return withJob(ports, tenantId, settings);
}

/**
 * Saves the firm's settings. A new time zone moves every open task's notices to it (day
 * offsets and send times are wall-clock times of the firm's zone), which for a large firm
 * takes thousands of Scheduler calls: that work is a job of the jobs function, in steps
 * (zone-change-job.ts), and the answer comes at once with the job `queued`.
 * 1. A stale version, or SMS limits over the deployment's ceiling, are refused before
 *    anything is written.
 * 2. The job item is written first, then the settings naming it (one conditional write). A
 *    save that loses that write leaves a job no settings name, which ends `superseded` at
 *    its first step.
 * A change of the send rules (`sendOn`, `quietHours`) moves notices the same way and runs
 * the same job: it re-plans every open task not planned in the zone and under the rules.
 * 3. The first step's message. Should it not go out, the save still stands: the job stays
 *    queued and the reconciler sends its step again (restartStalledJobs).
 */
export async function saveSettings(ports: Ports, tenantId: string, input: SettingsInput): Promise<SettingsWithJob> {
  const before = await getSettings(ports, tenantId);
  if (input.timeZone === before.timeZone && sameRules(firmRules(input), firmRules(before))) {
    return withJob(ports, tenantId, await putSettings(ports, tenantId, input, before));
  }
  checkVersion(before, input.version);
  checkSmsCeiling(ports, before, input.smsLimits, ports.clock.now());
  const job = await createZoneChangeJob(ports, tenantId, input.timeZone);
  const settings = await putSettings(ports, tenantId, input, before, job.id);
  await sendStep(ports, tenantId, job);
  return { settings, timeZoneChange: job };
}

async function withJob(ports: Ports, tenantId: string, settings: Settings): Promise<SettingsWithJob> {
  const job = settings.timeZoneJobId ? await ports.store.getJob(tenantId, settings.timeZoneJobId) : undefined;
  return { settings, ...(job?.kind === 'replan-zone' ? { timeZoneChange: job } : {}) };
}
