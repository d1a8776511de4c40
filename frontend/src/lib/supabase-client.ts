import { createClient, type SupabaseClient } from '@supabase/supabase-js';

import type { RuntimeConfig } from './runtime-config';

export type DeskClient = SupabaseClient;

/** Kept apart from the widget's visitor session, which may live on the same origin. */
export const AUTH_STORAGE_KEY = 'supadesk-dashboard-auth';

export interface DeskClientOptions {
  fetch?: typeof fetch;
  /** A WebSocket constructor (tests pass a fake). */
  transport?: unknown;
  storage?: Storage;
  /** Tests run many clients side by side; each gets its own key. */
  storageKey?: string;
  autoRefreshToken?: boolean;
}

export function createDeskClient(config: RuntimeConfig, options: DeskClientOptions = {}): DeskClient {
  return createClient(config.supabaseUrl, config.anonKey, {
    auth: {
      storageKey: options.storageKey ?? AUTH_STORAGE_KEY,
      persistSession: true,
      autoRefreshToken: options.autoRefreshToken ?? true,
      detectSessionInUrl: false,
      ...(options.storage ? { storage: options.storage } : {}),
    },
    realtime: {
      ...(options.transport ? { transport: options.transport as never } : {}),
    },
    global: options.fetch ? { fetch: options.fetch } : {},
  });
}
