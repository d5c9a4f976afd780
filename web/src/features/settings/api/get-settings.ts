import { useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Settings = components['schemas']['Settings'];

/** The Frist default when a firm has not chosen one (docs/api.md). */
const DEFAULT_TIME_ZONE = 'Europe/Oslo';

export const settingsQueryKey = ['settings'] as const;

/** How often the settings screen reads again while a change of time zone re-plans the tasks. */
const REPLAN_POLL_MS = 1000;

/**
 * The firm's settings (its name, its time zone, ...). With `followReplan`, they are read again
 * every second while a change of time zone is queued or running, for its progress.
 */
export function useSettings({ followReplan = false }: { followReplan?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: settingsQueryKey,
    queryFn: ({ signal }) => unwrap(api.GET('/settings', { signal })),
    staleTime: 5 * 60_000,
    refetchInterval: (query) => (followReplan && isReplanning(query.state.data) ? REPLAN_POLL_MS : false),
  });
}

/** A change of time zone whose re-plan has not finished. */
export function isReplanning(settings: Settings | undefined): boolean {
  const state = settings?.timeZoneChange?.state;
  return state === 'queued' || state === 'running';
}

/** The zone every date and time of the firm is shown in. */
export function useFirmTimeZone(): string {
  return useSettings().data?.timeZone ?? DEFAULT_TIME_ZONE;
}
