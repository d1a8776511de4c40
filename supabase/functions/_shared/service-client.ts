/**
 * The service-role client. It bypasses RLS, so it is kept apart and used deliberately: only for
 * what no visitor may do for themselves (counting rate-limit hits). Everything a user asks for goes
 * through `userClient` in clients.ts instead.
 */
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.109.0";
import { requireEnv, SERVER_CLIENT_OPTIONS } from "./clients.ts";

let client: SupabaseClient | null = null;

export function serviceClient(): SupabaseClient {
  client ??= createClient(requireEnv("SUPABASE_URL"), requireEnv("SUPABASE_SERVICE_ROLE_KEY"), SERVER_CLIENT_OPTIONS);
  return client;
}
