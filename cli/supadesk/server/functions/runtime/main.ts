/**
 * supadesk's functions runtime: ONE Deno process hosting every edge function of the project.
 *
 * The Python server (functions/proxy.py) forwards `/functions/v1/<name>/...` here as
 * `/<name>/...`, the request otherwise untouched; it passes the functions' entrypoints at start-up
 * (SUPADESK_FUNCTIONS_PRELOAD, name → file URL; the runtime is restarted when functions change).
 * Each module is imported once, eagerly at start-up (which also fills the npm cache) or on first
 * use; its `Deno.serve(handler)` call is intercepted so the handler is captured instead of listening
 * on a port (`export default { fetch }` works too). Handlers get the original Request object.
 *
 * Logs: console output of a function is tagged with its name through AsyncLocalStorage and written
 * to stdout as one JSON line per call (`{"t":"log","fn","level","msg"}`); `{"t":"ready","port"}`
 * announces the listening port. The supervisor reads both.
 */
import { AsyncLocalStorage } from "node:async_hooks";

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;
type Level = "debug" | "info" | "warn" | "error";
interface Context {
  fn: string;
}

const encoder = new TextEncoder();
const store = new AsyncLocalStorage<Context>();
const originalServe = Deno.serve.bind(Deno);
const handlers = new Map<string, Handler>();
const loads = new Map<string, Promise<Handler>>();
let loadingQueue: Promise<unknown> = Promise.resolve();
let loadingFunction: string | null = null;

// Internal settings are read, then removed from the environment functions see.
const entrypoints: Record<string, string> = JSON.parse(Deno.env.get("SUPADESK_FUNCTIONS_PRELOAD") ?? "{}");
const functionsDir = Deno.env.get("SUPADESK_FUNCTIONS_DIR") ?? "";
Deno.env.delete("SUPADESK_FUNCTIONS_PRELOAD");
Deno.env.delete("SUPADESK_FUNCTIONS_DIR");
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A function's module: as configured at start-up, else `<functions dir>/<name>/index.ts`. */
function entrypointOf(fn: string): string | null {
  if (Object.hasOwn(entrypoints, fn)) return entrypoints[fn];
  if (!NAME.test(fn) || !functionsDir) return null;
  const candidate = `${functionsDir}/${fn}/index.ts`;
  try {
    return Deno.statSync(candidate).isFile ? new URL(`file://${candidate}`).href : null;
  } catch {
    return null;
  }
}

function emit(record: Record<string, unknown>): void {
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(record) + "\n"));
}

function format(args: unknown[]): string {
  return args.map((a) => (typeof a === "string" ? a : Deno.inspect(a, { colors: false, depth: 6 }))).join(" ");
}

function log(level: Level, args: unknown[], fn: string | null = store.getStore()?.fn ?? loadingFunction): void {
  emit({ t: "log", fn, level, msg: format(args) });
}

console.log = (...args: unknown[]) => log("info", args);
console.info = (...args: unknown[]) => log("info", args);
console.debug = (...args: unknown[]) => log("debug", args);
console.warn = (...args: unknown[]) => log("warn", args);
console.error = (...args: unknown[]) => log("error", args);
console.trace = (...args: unknown[]) => log("debug", [...args, new Error("trace").stack]);

globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  log("error", ["Unhandled promise rejection:", event.reason]);
});
globalThis.addEventListener("error", (event) => {
  event.preventDefault();
  log("error", ["Uncaught error:", event.error ?? event.message]);
});

// Supabase's runtime global for background work after the response.
(globalThis as unknown as { EdgeRuntime: unknown }).EdgeRuntime = {
  waitUntil(promise: Promise<unknown>) {
    const fn = store.getStore()?.fn ?? null;
    promise.catch((error) => log("error", ["waitUntil task failed:", error], fn));
  },
};

function pickHandler(args: unknown[]): Handler | null {
  for (const arg of args) {
    if (typeof arg === "function") return arg as Handler;
    if (arg && typeof arg === "object" && typeof (arg as { handler?: unknown }).handler === "function") {
      return (arg as { handler: Handler }).handler;
    }
  }
  return null;
}

function fakeServer(): unknown {
  const finished = new Promise<void>(() => {});
  return {
    finished,
    addr: { transport: "tcp", hostname: "127.0.0.1", port: 0 },
    ref() {},
    unref() {},
    shutdown: () => Promise.resolve(),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

(Deno as unknown as { serve: unknown }).serve = (...args: unknown[]) => {
  const handler = pickHandler(args);
  const fn = store.getStore()?.fn ?? loadingFunction;
  if (!handler || !fn) throw new TypeError("Deno.serve() was called outside an edge function module");
  handlers.set(fn, handler);
  return fakeServer();
};

/** Import a function's module once (imports are serialised so Deno.serve is attributed correctly). */
function load(fn: string, entrypoint: string): Promise<Handler> {
  const key = `${fn}\n${entrypoint}`;
  let pending = loads.get(key);
  if (!pending) {
    pending = (loadingQueue = loadingQueue.catch(() => {}).then(async () => {
      loadingFunction = fn;
      try {
        const module = await store.run({ fn }, () => import(entrypoint));
        const fetch = (module?.default as { fetch?: unknown } | undefined)?.fetch;
        const handler = handlers.get(fn) ??
          (typeof fetch === "function" ? (fetch.bind(module.default) as Handler) : null);
        if (!handler) throw new Error("the module neither calls Deno.serve() nor exports default { fetch }");
        return handler;
      } finally {
        loadingFunction = null;
      }
    })) as Promise<Handler>;
    loads.set(key, pending);
    pending.catch(() => loads.delete(key)); // a failed boot is retried on the next request
  }
  return pending;
}

function problem(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ code, message }), { status, headers: { "content-type": "application/json" } });
}

async function handle(req: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
  const fn = new URL(req.url).pathname.split("/")[1] ?? "";
  const entrypoint = entrypointOf(fn);
  if (!entrypoint) return new Response("Function not found", { status: 404 });
  let handler: Handler;
  try {
    handler = await load(fn, entrypoint);
  } catch (error) {
    log("error", ["Worker failed to boot:", error], fn);
    return problem(503, "BOOT_ERROR", "Worker failed to boot (please check logs)");
  }
  return await store.run({ fn }, async () => {
    try {
      const response = await handler(req, info);
      if (!(response instanceof Response)) throw new TypeError("the handler did not return a Response");
      return response;
    } catch (error) {
      log("error", [error]);
      return problem(500, "WORKER_ERROR", "Function exited due to an error (please check logs)");
    }
  });
}

// Exit when the supervising server goes away: our stdin is a pipe from it.
(async () => {
  try {
    for await (const _ of Deno.stdin.readable) { /* nothing is ever sent */ }
  } catch { /* closed */ }
  Deno.exit(0);
})();

originalServe({
  hostname: "127.0.0.1",
  port: 0,
  onListen({ port }) {
    emit({ t: "ready", port });
    for (const [fn, entrypoint] of Object.entries(entrypoints)) {
      load(fn, entrypoint).catch((error) => log("error", ["Worker failed to boot:", error], fn));
    }
  },
  onError(error) {
    log("error", ["runtime error:", error], null);
    return problem(500, "WORKER_ERROR", "Function exited due to an error (please check logs)");
  },
}, handle);
