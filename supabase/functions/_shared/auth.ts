/**
 * Who is calling. The runtime verifies the JWT before the function runs (`verify_jwt = true` for
 * every function in supabase/config.toml), so here we only read its claims. Nothing here grants
 * access: every database and Storage call goes out with the caller's own token and is checked again
 * by PostgREST, Storage and RLS.
 */
import { ApiError } from "./errors.ts";

export interface Caller {
  /** auth.users id (the JWT `sub`). */
  userId: string;
  /** The raw `Authorization` header, forwarded to PostgREST and Storage. */
  authorization: string;
  isAnonymous: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The claims of a compact JWT, without verifying it (the runtime did); null if it is not one. */
export function decodeJwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const json = new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return claims !== null && typeof claims === "object" && !Array.isArray(claims)
      ? claims as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in user behind the request, or 401 not_authenticated. The anon key and the service-role
 * key are valid JWTs but carry no user (`sub`), so they are refused here.
 */
export function requireCaller(req: Request): Caller {
  const authorization = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const claims = match ? decodeJwtClaims(match[1]) : null;
  const sub = claims?.sub;
  if (!claims || claims.role !== "authenticated" || typeof sub !== "string" || !UUID.test(sub)) {
    throw new ApiError("not_authenticated");
  }
  return { userId: sub.toLowerCase(), authorization, isAnonymous: claims.is_anonymous === true };
}
