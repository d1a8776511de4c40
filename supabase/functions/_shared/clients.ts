/**
 * The Supabase client that acts as the caller: it forwards the caller's Authorization header, so
 * PostgREST and Storage apply RLS (and Storage records the caller as the owner of an upload).
 */
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.109.0";

export type { SupabaseClient };

export function requireEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Server-side clients keep no session and never refresh tokens. */
export const SERVER_CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
} as const;

export function userClient(authorization: string): SupabaseClient {
  return createClient(requireEnv("SUPABASE_URL"), requireEnv("SUPABASE_ANON_KEY"), {
    ...SERVER_CLIENT_OPTIONS,
    global: { headers: { Authorization: authorization } },
  });
}
