// functions.invoke from the unchanged supabase-js (functions-js), as the frontend calls functions.
import { createRequire } from "node:module";

const require = createRequire(process.env.JS_DEPS + "/package.json");
const { createClient, FunctionsHttpError } = require("@supabase/supabase-js");

const client = createClient(process.env.SUPABASE_URL, process.env.ANON_KEY, {
  auth: { persistSession: false, autoRefreshToken: false },
  global: { headers: { Authorization: `Bearer ${process.env.USER_TOKEN}` } },
});
const results = {};

const echoed = await client.functions.invoke("echo", { body: { hello: "from js" }, headers: { "x-custom": "js" } });
results.echoError = echoed.error ? String(echoed.error) : null;
results.echoBody = JSON.parse(echoed.data.body);
results.echoAuth = echoed.data.headers.authorization === `Bearer ${process.env.USER_TOKEN}`;
results.echoClientInfo = echoed.data.headers["x-client-info"];

const missing = await client.functions.invoke("no-such-function");
results.missingIsHttpError = missing.error instanceof FunctionsHttpError;
results.missingStatus = missing.error?.context?.status;
results.missingText = missing.error ? await missing.error.context.text() : null;

const crashed = await client.functions.invoke("crash");
results.crashStatus = crashed.error?.context?.status;

const text = await client.functions.invoke("public-hook", { method: "GET" });
results.hookText = text.data;

console.log(JSON.stringify(results));
