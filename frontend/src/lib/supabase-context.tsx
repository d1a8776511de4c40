import { createContext, useContext, type ReactNode } from 'react';

import type { DeskClient } from './supabase-client';

const SupabaseContext = createContext<DeskClient | null>(null);

/** The one network boundary: tests inject a client whose fetch and WebSocket are fakes. */
export function SupabaseProvider({ client, children }: { client: DeskClient; children: ReactNode }) {
  return <SupabaseContext.Provider value={client}>{children}</SupabaseContext.Provider>;
}

export function useSupabase(): DeskClient {
  const client = useContext(SupabaseContext);
  if (!client) throw new Error('useSupabase must be used inside <SupabaseProvider>.');
  return client;
}
