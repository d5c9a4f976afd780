import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';
import { settingsQueryKey, type Settings } from './get-settings';

export type SettingsPatch = components['schemas']['SettingsPatch'];

/**
 * Saves a merge patch of the settings (PATCH /settings): only what a section changed, with the
 * version read, so a section leaves every other setting as stored. The answer becomes the
 * cached settings.
 */
export function useUpdateSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // Offline, a save fails at once (and says so) instead of waiting unseen for the network.
    networkMode: 'always',
    mutationFn: (patch: SettingsPatch) => unwrap(api.PATCH('/settings', { body: patch, headers: { 'content-type': 'application/merge-patch+json' } })),
    onSuccess: (saved: Settings) => queryClient.setQueryData(settingsQueryKey, saved),
  });
}
