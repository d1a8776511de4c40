import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';

import { FullPageSpinner } from '@/components/full-page-spinner';
import { useOptionalSupabase } from '@/lib/supabase-context';

import { useAuth } from './auth-provider';
import { loginPathFor } from './redirect';

/** Agents only; everyone else goes to /login carrying the URL they wanted. */
export function ProtectedRoute({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const client = useOptionalSupabase();
  const location = useLocation();
  if (state.status === 'loading' || (state.status === 'agent' && !client)) {
    return <FullPageSpinner label="Checking your session" />;
  }
  if (state.status !== 'agent') {
    const target = state.status === 'signed-out' && state.loggedOut ? '/login' : loginPathFor(`${location.pathname}${location.search}`);
    return <Navigate to={target} replace />;
  }
  return children;
}
