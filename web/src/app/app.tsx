import { Alert, Center, MantineProvider } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AppConfig } from '@/lib/config';
import { AppProvider } from './provider';
import { AppRoutes } from './router';
import { theme } from './theme';

export function App({ config }: { config: AppConfig }) {
  return (
    <AppProvider config={config}>
      <AppRoutes />
    </AppProvider>
  );
}

/** Without config.json the app cannot sign anyone in: it says so instead of a blank page. */
export function ConfigMissing() {
  const { t } = useTranslation();
  return (
    <MantineProvider theme={theme}>
      <Center component="main" h="100vh">
        <Alert color="red" role="alert" title={t('errors.title')}>
          {t('errors.config')}
        </Alert>
      </Center>
    </MantineProvider>
  );
}
