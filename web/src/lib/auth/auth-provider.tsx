import { WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ReactNode } from 'react';
import { AuthProvider } from 'react-oidc-context';
import { useNavigate } from 'react-router';
import type { AppConfig } from '@/lib/config';

export const CALLBACK_PATH = '/auth/callback';

/** What the sign-in carries through the round trip: where the user was going. */
export interface SignInState {
  returnTo: string;
}

/**
 * Sign-in through the configured OIDC provider (the Cognito user pool's managed login on AWS):
 * authorization code with PKCE, handled by oidc-client-ts. The user (its tokens) lives in this
 * tab's sessionStorage and is gone when the tab closes.
 */
export function AppAuthProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <AuthProvider
      authority={config.oidc.authority}
      client_id={config.oidc.clientId}
      scope={config.oidc.scope}
      redirect_uri={`${location.origin}${CALLBACK_PATH}`}
      post_logout_redirect_uri={`${location.origin}/`}
      response_type="code"
      userStore={new WebStorageStateStore({ store: sessionStorage })}
      // The ID token is the bearer; nothing to gain from the userinfo endpoint.
      loadUserInfo={false}
      skipSigninCallback={location.pathname !== CALLBACK_PATH}
      onSigninCallback={(user: User | undefined) => {
        const returnTo = (user?.state as SignInState | undefined)?.returnTo;
        void navigate(returnTo?.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/', { replace: true });
      }}
    >
      {children}
    </AuthProvider>
  );
}
