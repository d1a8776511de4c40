/**
 * CORS for browser callers (the widget and the dashboard run on other origins than the API).
 *
 * The allowed request headers come from supabase-js itself (`@supabase/supabase-js/cors`), so they stay
 * in step with what the pinned SDK sends; we only add the response headers a browser may read.
 */
import { corsHeaders as sdkCorsHeaders } from "npm:@supabase/supabase-js@2.109.0/cors";

export const corsHeaders: Readonly<Record<string, string>> = Object.freeze({
  ...sdkCorsHeaders,
  "Access-Control-Expose-Headers": "Retry-After",
});

/** The answer to a CORS preflight (`OPTIONS`); sent before any other check. */
export function preflightResponse(): Response {
  return new Response("ok", { headers: corsHeaders });
}
