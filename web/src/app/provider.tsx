import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
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
      <ConfigContext.Provider value={config}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppAuthProvider config={config}>
              <ApiProvider>{children}</ApiProvider>
            </AppAuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </ConfigContext.Provider>
    </MantineProvider>
  );
}
