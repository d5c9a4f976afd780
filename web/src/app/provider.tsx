import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { ApiProvider } from '@/lib/api';
import { AppAuthProvider } from '@/lib/auth';
import type { AppConfig } from '@/lib/config';
import { ConfigContext } from '@/lib/config-context';
import { createQueryClient } from '@/lib/query-client';
import { cssVariablesResolver, theme } from './theme';

/** Everything a screen relies on: look, configuration, routing, sign-in, the API client and its cache. */
export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <DatesInLanguage>
        <ConfigContext.Provider value={config}>
          <QueryClientProvider client={queryClient}>
            <BrowserRouter>
              <AppAuthProvider config={config}>
                <ApiProvider>{children}</ApiProvider>
              </AppAuthProvider>
            </BrowserRouter>
          </QueryClientProvider>
        </ConfigContext.Provider>
      </DatesInLanguage>
    </MantineProvider>
  );
}

/** The date fields' month and day names follow the app's language; weeks start on Monday (as in Norway). */
function DatesInLanguage({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: i18n.resolvedLanguage ?? 'nb', firstDayOfWeek: 1 }}>{children}</DatesProvider>;
}
