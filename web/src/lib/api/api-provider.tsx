import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react';
import { useAuth } from 'react-oidc-context';
import { useLocation } from 'react-router';
import type { SignInState } from '@/lib/auth';
import { useConfig } from '@/lib/config-context';
import { createApiClient, type ApiClient } from './client';

const ApiContext = createContext<ApiClient | undefined>(undefined);

/** The one API client of the app, with the signed-in user's ID token; a 401 sends the user to sign in again. */
export function ApiProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const auth = useAuth();
  const location = useLocation();
  const current = useRef({ auth, location, signingIn: false });
  current.current = { ...current.current, auth, location };

  const client = useMemo(
    () =>
      createApiClient({
        baseUrl: config.apiUrl,
        idToken: () => current.current.auth.user?.id_token,
        onUnauthorized: () => {
          if (current.current.signingIn) return;
          current.current.signingIn = true;
          const { auth: latest, location: here } = current.current;
          void latest.removeUser().then(() => latest.signinRedirect({ state: { returnTo: here.pathname + here.search } satisfies SignInState }));
        },
      }),
    [config.apiUrl],
  );
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}
