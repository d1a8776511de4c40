import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

import { AppSnackbar } from '@/components/app-snackbar';
import { useAuth } from '@/features/auth/auth-provider';
import { DeskFeedProvider } from '@/features/realtime/desk-feed-provider';
import { createQueryClient } from '@/lib/query-client';
import { toasts } from '@/lib/toast-store';

/**
 * Server state for the signed-in dashboard. The QueryClient carries the global policy (401 → sign
 * out, so ProtectedRoute returns to /login with the URL; 5xx → snackbar) and lives only while an
 * agent is signed in, so nothing cached survives a logout.
 */
export function AdminProviders({ children }: { children: ReactNode }) {
  const { signOut } = useAuth();
  const [queryClient] = useState(() =>
    createQueryClient({ onUnauthorized: () => void signOut(), onError: (message) => toasts.show(message) }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <DeskFeedProvider>{children}</DeskFeedProvider>
      <AppSnackbar />
    </QueryClientProvider>
  );
}
