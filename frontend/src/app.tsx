import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { Suspense, type ReactNode } from 'react';
import { BrowserRouter } from 'react-router-dom';

import { ErrorBoundary } from '@/components/error-boundary';
import { FullPageSpinner } from '@/components/full-page-spinner';
import { AuthProvider } from '@/features/auth/auth-provider';
import type { DeskClient } from '@/lib/supabase-client';
import { SupabaseProvider } from '@/lib/supabase-context';
import { theme } from '@/theme/theme';

import { AppRoutes } from './app-routes';

/** Providers every route needs, outermost first: theme → Supabase client → auth. */
export function AppProviders({ client, children }: { client: DeskClient | Promise<DeskClient>; children: ReactNode }) {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <SupabaseProvider client={client}>
        <AuthProvider>{children}</AuthProvider>
      </SupabaseProvider>
    </ThemeProvider>
  );
}

export function App({ client }: { client: DeskClient | Promise<DeskClient> }) {
  return (
    <AppProviders client={client}>
      <BrowserRouter>
        <ErrorBoundary>
          <Suspense fallback={<FullPageSpinner label="Loading supadesk" />}>
            <AppRoutes />
          </Suspense>
        </ErrorBoundary>
      </BrowserRouter>
    </AppProviders>
  );
}
