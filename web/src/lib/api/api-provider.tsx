import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { User } from 'oidc-client-ts';
import { useAuth } from 'react-oidc-context';
import { SessionExpiredDialog } from '@/lib/auth';
import { useConfig } from '@/lib/config-context';
import { createApiClient, type ApiClient } from './client';

const ApiContext = createContext<ApiClient | undefined>(undefined);

/**
 * The one API client of the app, with the signed-in user's ID token. A 401 keeps the page (and
 * what the user has not saved) and asks the user to sign in again; what failed to load then
 * loads again.
 */
export function ApiProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const auth = useAuth();
  const queryClient = useQueryClient();
  const [expired, setExpired] = useState(false);
  const idToken = useRef<string>(undefined);
  idToken.current = auth.user?.id_token;

  const client = useMemo(
    () =>
      createApiClient({
        baseUrl: config.apiUrl,
        idToken: () => idToken.current,
        onUnauthorized: () => setExpired(true),
      }),
    [config.apiUrl],
  );

  function signedInAgain(user: User) {
    // The new token, for the loads sent again now, before React renders with it.
    idToken.current = user.id_token;
    setExpired(false);
    void queryClient.invalidateQueries({ predicate: (query) => query.state.status === 'error' });
  }

  return (
    <ApiContext.Provider value={client}>
      {children}
      <SessionExpiredDialog opened={expired} onSignedIn={signedInAgain} />
    </ApiContext.Provider>
  );
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}
