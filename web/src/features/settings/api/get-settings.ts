import { useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Settings = components['schemas']['Settings'];

/** The Frist default when a firm has not chosen one (docs/api.md). */
const DEFAULT_TIME_ZONE = 'Europe/Oslo';

export const settingsQueryKey = ['settings'] as const;

/** The firm's settings (its name, its time zone, ...). */
export function useSettings() {
  const api = useApi();
  return useQuery({
    queryKey: settingsQueryKey,
    queryFn: ({ signal }) => unwrap(api.GET('/settings', { signal })),
    staleTime: 5 * 60_000,
  });
}

/** The zone every date and time of the firm is shown in. */
export function useFirmTimeZone(): string {
  return useSettings().data?.timeZone ?? DEFAULT_TIME_ZONE;
}
