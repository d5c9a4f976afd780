import type { Settings } from '../domain/model.ts';
import type { Ports } from '../ports.ts';
import { getSettings, putSettings, type SettingsInput } from './settings.ts';
import { replanInZone } from './tasks.ts';

export interface SavedSettings {
  settings: Settings;
  /** After a change of time zone: open tasks planned again, and those that could not be. */
  replanned?: { tasks: number; failed: number };
}

/**
 * Saves the firm's settings. A new time zone moves every open task's notices to it: day
 * offsets and send times are wall-clock times of the firm's zone. Tasks are re-planned after
 * the settings are saved, one by one; one that fails (the Scheduler busy) keeps its old plan
 * until the reconciler re-plans it before its next notice, so the save itself stands.
 */
export async function saveSettings(ports: Ports, tenantId: string, input: SettingsInput): Promise<SavedSettings> {
  const before = await getSettings(ports, tenantId);
  const settings = await putSettings(ports, tenantId, input, before);
  if (settings.timeZone === before.timeZone) return { settings };
  return { settings, replanned: await replanOpenTasks(ports, tenantId, settings) };
}

async function replanOpenTasks(ports: Ports, tenantId: string, settings: Settings): Promise<{ tasks: number; failed: number }> {
  const result = { tasks: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const page = await ports.store.queryTasks(tenantId, { status: 'open', limit: 100, ...(cursor ? { cursor } : {}) });
    for (const task of page.items) {
      try {
        if (await replanInZone(ports, tenantId, task, settings)) result.tasks += 1;
      } catch (error) {
        result.failed += 1;
        ports.log.warn('task left to the reconciler after a time zone change', { tenantId, taskId: task.id, error: (error as Error).message });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return result;
}
