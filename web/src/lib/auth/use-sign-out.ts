import { useQueryClient } from '@tanstack/react-query';
import { useAuth } from 'react-oidc-context';
import { useConfig } from '@/lib/config-context';

/**
 * Signs out: forgets the tokens and every cached answer here, then ends the provider's session
 * (Cognito's logout endpoint takes `client_id` and `logout_uri`), which brings the user back to
 * the app's start, signed out.
 */
export function useSignOut(): () => Promise<void> {
  const auth = useAuth();
  const queryClient = useQueryClient();
  const config = useConfig();
  return async () => {
    await auth.removeUser();
    queryClient.clear();
    const home = `${location.origin}/`;
    if (config.oidc.logoutUrl) {
      const url = new URL(config.oidc.logoutUrl);
      url.searchParams.set('client_id', config.oidc.clientId);
      url.searchParams.set('logout_uri', home);
      location.assign(url.toString());
    } else {
      location.assign(home);
    }
  };
}
