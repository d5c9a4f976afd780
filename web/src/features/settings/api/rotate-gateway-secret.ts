import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi } from '@/lib/api';
import { settingsQueryKey, type Settings } from './get-settings';

/**
 * Replaces the secret in the firm's SMS gateway URLs (POST /settings/sms-gateway/rotate); the
 * answer, with the new URLs, becomes the cached settings.
 */
export function useRotateGatewaySecret() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    networkMode: 'always',
    mutationFn: () => unwrap(api.POST('/settings/sms-gateway/rotate')),
    onSuccess: (saved: Settings) => queryClient.setQueryData(settingsQueryKey, saved),
  });
}
