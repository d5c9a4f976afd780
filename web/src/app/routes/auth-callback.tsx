import { Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from 'react-oidc-context';
import { SignInFailed } from '@/lib/auth';

/** Where the sign-in service sends the user back with a code; the auth provider redeems it and moves on. */
export function AuthCallbackRoute() {
  const auth = useAuth();
  const { t } = useTranslation();
  if (auth.error) return <SignInFailed />;
  return (
    <Center h="100vh" component="main">
      <Stack align="center" role="status">
        <Loader aria-hidden />
        <Text>{t('auth.signingIn')}</Text>
      </Stack>
    </Center>
  );
}
