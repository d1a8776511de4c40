/**
 * Calling the SQL API through PostgREST: our PTnnn errors become their catalogued ApiError, anything
 * else is thrown as an unexpected error (logged by serveJson, answered with a generic 500).
 */
import type { SupabaseClient } from "./clients.ts";
import { ApiError, fromDatabaseError } from "./errors.ts";
import type { RateLimitCheck, RateLimitVerdict } from "./rate-limit.ts";
import { serviceClient } from "./service-client.ts";

export class UnexpectedDatabaseError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`${operation} failed`, { cause });
    this.name = "UnexpectedDatabaseError";
  }
}

export async function callRpc<T>(client: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) {
    const mapped: ApiError | null = fromDatabaseError(error);
    if (mapped) throw mapped;
    throw new UnexpectedDatabaseError(`rpc ${fn}`, error);
  }
  return data as T;
}

/** Counts one hit per check (service role: visitors may neither read nor reset counters). */
export function consumeRateLimits(checks: RateLimitCheck[]): Promise<RateLimitVerdict> {
  return callRpc<RateLimitVerdict>(serviceClient(), "consume_rate_limits", { checks });
}
