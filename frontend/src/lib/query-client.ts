import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isRetryable, isUnauthorized, userMessage } from './api-error';

export interface QueryPolicy {
  /** The session is no longer valid: sign out; ProtectedRoute sends the agent to /login with the return URL. */
  onUnauthorized: () => void;
  /** Shows a message to the agent (snackbar). */
  onError: (message: string) => void;
}

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

const MAX_RETRIES = 2;

export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_RETRIES && isRetryable(error);
}

/**
 * The global error policy: 401 → sign out (and so back to /login?redirect=…), 5xx and network
 * failures of queries → one snackbar after the retries (4xx are shown inline by the view), every failed mutation → the server's message unless the
 * mutation handles its own errors (`meta.silent`). No retries for 4xx.
 */
export function createQueryClient(policy: QueryPolicy): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isUnauthorized(error)) return policy.onUnauthorized();
        if (!query.meta?.silent && isRetryable(error)) {
          policy.onError(userMessage(error));
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isUnauthorized(error)) return policy.onUnauthorized();
        if (!mutation.meta?.silent) policy.onError(userMessage(error));
      },
    }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 30_000,
        // Live updates and the resync on reconnect/visibility keep data fresh.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
