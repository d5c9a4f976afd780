import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from 'react-oidc-context';
import { useLocation } from 'react-router';
import type { SignInState } from './auth-provider';

/** Children only for a signed-in user; anyone else goes to sign in, and comes back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  // A failed silent renewal is no reason to stop: once the tokens expire, the user simply signs in again.
  const callbackFailed = auth.error?.source === 'signinCallback';
  const mustSignIn = !auth.isLoading && !auth.isAuthenticated && !auth.activeNavigator && !callbackFailed;

  useEffect(() => {
    if (mustSignIn) void auth.signinRedirect({ state: { returnTo: location.pathname + location.search } satisfies SignInState });
  }, [mustSignIn, auth, location.pathname, location.search]);

  if (callbackFailed) return <SignInFailed />;
  if (!auth.isAuthenticated) {
    return (
      <Center h="100vh" role="status">
        <Stack align="center">
          <Loader aria-hidden />
          <Text>{t('auth.signingIn')}</Text>
        </Stack>
      </Center>
    );
  }
  return children;
}

export function SignInFailed() {
  const auth = useAuth();
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Stack align="center" component="main">
        <Text role="alert">{t('auth.signInFailed')}</Text>
        <Button onClick={() => void auth.removeUser().then(() => auth.signinRedirect({ state: { returnTo: '/' } satisfies SignInState }))}>
          {t('auth.signInAgain')}
        </Button>
      </Stack>
    </Center>
  );
}
