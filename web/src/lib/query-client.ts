import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/api-error';

/**
 * The server-state cache. A refusal (4xx) is an answer, not a hiccup: it is not retried; a
 * network failure, a 5xx or a 503 (busy) is retried twice with backoff, but not a damaged
 * stored task, which answers the same until the operator repairs it.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && (error.status < 500 || error.isStoredTaskUnreadable)),
      },
      mutations: { retry: false },
    },
  });
}
