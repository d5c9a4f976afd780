import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { User } from 'oidc-client-ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from 'react-oidc-context';
import type { SignInState } from './auth-provider';

/**
 * The API refused the token (it expired and could not be renewed, the keys changed): the page
 * stays as it is, with what the user typed and has not saved, and the user signs in again in a
 * window of its own, then saves again. Cognito's sign-in page cuts that window off from this
 * one (Cross-Origin-Opener-Policy), so the answer comes back on a BroadcastChannel and a closed
 * window cannot be told from a cut-off one: signing in in this window (which leaves the page,
 * losing what is not saved, as the dialog says) is always offered beside it.
 */
export function SessionExpiredDialog({ opened, onSignedIn }: { opened: boolean; onSignedIn: (user: User) => void }) {
  const auth = useAuth();
  const { t } = useTranslation();
  const [windowFailed, setWindowFailed] = useState(false);

  async function signInInWindow() {
    setWindowFailed(false);
    const before = auth.user?.profile.sub;
    // react-oidc-context answers a failure (a blocked window) with null and keeps the error.
    const user = await auth.signinPopup();
    if (!user) return setWindowFailed(true);
    // Someone else signed in: nothing on this page is theirs to save.
    if (user.profile.sub !== before) return location.assign('/');
    onSignedIn(user);
  }

  function signInHere() {
    void auth.removeUser().then(() => auth.signinRedirect({ state: { returnTo: location.pathname + location.search } satisfies SignInState }));
  }

  return (
    <Modal
      opened={opened}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      title={t('auth.expired.title')}
      centered
    >
      <Stack gap="md">
        <Text>{t('auth.expired.body')}</Text>
        {windowFailed && (
          <Alert color="red" variant="outline" role="alert">
            {t('auth.expired.windowFailed')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={signInHere}>
            {t('auth.expired.signInHere')}
          </Button>
          <Button onClick={() => void signInInWindow()} data-autofocus>
            {t('auth.expired.signIn')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
