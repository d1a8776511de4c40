// Echoes what the function sees: method, path, query, headers, body and the environment.
import { corsHeaders } from "../_shared/cors.ts";

const ENV_NAMES = [
  "SUPABASE_URL",
  "SUPABASE_ANON_KEY",
  "SUPABASE_SERVICE_ROLE_KEY",
  "SUPABASE_DB_URL",
  "SD_ST_SECRET",
  "SD_ST_SENTINEL",
  "SUPADESK_JWT_SECRET",
  "SUPADESK_FUNCTIONS_PRELOAD",
  "SUPADESK_SD_ST_SETTING",
];

Deno.serve(async (req: Request) => {
  if (req.method === "OPTIONS") {
    return new Response(null, { status: 204, headers: { ...corsHeaders, "x-from": "echo" } });
  }
  const url = new URL(req.url);
  const marker = req.headers.get("x-marker");
  if (marker) console.log("echo called with marker", marker);
  const env = Object.fromEntries(ENV_NAMES.map((name) => [name, Deno.env.get(name) ?? null]));
  const body = {
    method: req.method,
    path: url.pathname,
    search: url.search,
    host: url.host,
    headers: Object.fromEntries(req.headers),
    body: await req.text(),
    env,
  };
  return new Response(JSON.stringify(body), { headers: { ...corsHeaders, "content-type": "application/json" } });
});
