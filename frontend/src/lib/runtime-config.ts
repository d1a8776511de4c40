import * as z from 'zod/v4/mini';

/** `GET /supadesk-config.json`: served by `supadesk start`, a static file on other hosts. */
export const runtimeConfigSchema = z.object({
  supabaseUrl: z.url(),
  anonKey: z.string().check(z.minLength(20)),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
}

/** The `role` claim of a legacy JWT key, or null for opaque (`sb_…`) keys and garbage. */
export function jwtRole(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(json);
    if (typeof claims === 'object' && claims !== null && 'role' in claims) {
      return typeof claims.role === 'string' ? claims.role : null;
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * Validates the config and accepts only public keys: a JWT whose role is `anon`, or an opaque
 * `sb_publishable_…` key. Anything else (a privileged key pasted by mistake) stops the app.
 */
export function parseRuntimeConfig(input: unknown): RuntimeConfig {
  const result = runtimeConfigSchema.safeParse(input);
  if (!result.success) {
    throw new RuntimeConfigError('supadesk-config.json is missing supabaseUrl or anonKey.');
  }
  const { anonKey } = result.data;
  const isPublic = anonKey.startsWith('sb_publishable_') || jwtRole(anonKey) === 'anon';
  if (!isPublic) {
    throw new RuntimeConfigError('supadesk-config.json must hold the public anon key, not another key.');
  }
  return result.data;
}

export async function loadRuntimeConfig(
  fetchImpl: typeof fetch = fetch,
  url = '/supadesk-config.json',
): Promise<RuntimeConfig> {
  const response = await fetchImpl(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    throw new RuntimeConfigError(`Could not load ${url} (HTTP ${response.status}).`);
  }
  return parseRuntimeConfig(await response.json());
}
