import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

import type { DeskClient } from './supabase-client';

interface SupabaseContextValue {
  client: DeskClient | null;
  ready: Promise<DeskClient>;
}

const SupabaseContext = createContext<SupabaseContextValue | null>(null);

function isPromise(value: DeskClient | Promise<DeskClient>): value is Promise<DeskClient> {
  return typeof (value as Promise<DeskClient>).then === 'function';
}

/**
 * The one network boundary. supabase-js is not part of the first screen: main.tsx passes a
 * promise that resolves once its chunk and /supadesk-config.json have loaded. Tests pass a client
 * whose fetch and WebSocket are fakes.
 */
export function SupabaseProvider({ client, children }: { client: DeskClient | Promise<DeskClient>; children: ReactNode }) {
  const [value, setValue] = useState<SupabaseContextValue>(() =>
    isPromise(client) ? { client: null, ready: client } : { client, ready: Promise.resolve(client) },
  );

  useEffect(() => {
    if (value.client) return;
    let active = true;
    value.ready.then(
      (resolved) => active && setValue({ client: resolved, ready: value.ready }),
      () => undefined, // AuthProvider reports the failure.
    );
    return () => {
      active = false;
    };
  }, [value]);

  return <SupabaseContext.Provider value={value}>{children}</SupabaseContext.Provider>;
}

function useSupabaseContext(): SupabaseContextValue {
  const value = useContext(SupabaseContext);
  if (!value) throw new Error('Supabase hooks must be used inside <SupabaseProvider>.');
  return value;
}

/** The client, or null while it loads. */
export function useOptionalSupabase(): DeskClient | null {
  return useSupabaseContext().client;
}

/** The client; only below <ProtectedRoute>, which waits for it. */
export function useSupabase(): DeskClient {
  const { client } = useSupabaseContext();
  if (!client) throw new Error('useSupabase was called before the Supabase client loaded.');
  return client;
}

export function useSupabaseReady(): Promise<DeskClient> {
  return useSupabaseContext().ready;
}
