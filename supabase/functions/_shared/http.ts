/**
 * Request and response plumbing shared by the functions: JSON responses with CORS, the body reader,
 * and `serveJson`, the outermost guard every function runs inside (preflight first, POST only, and
 * any unexpected exception becomes a logged, generic 500).
 */
import { corsHeaders, preflightResponse } from "./cors.ts";
import { ApiError } from "./errors.ts";

/** Bodies are small JSON documents (a message is at most 5,000 characters); refuse anything bigger. */
export const MAX_BODY_BYTES = 64 * 1024;

export type Handler = (req: Request) => Promise<Response>;

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, ...headers, "Content-Type": "application/json" },
  });
}

export function errorResponse(error: ApiError): Response {
  return jsonResponse(error.status, error.toBody(), error.headers);
}

/** The body's bytes, refusing (413) as soon as more than `limit` bytes arrive: never buffers a huge body. */
export async function readBodyLimited(req: Request, limit: number = MAX_BODY_BYTES): Promise<Uint8Array> {
  if (Number(req.headers.get("content-length") ?? "0") > limit) throw new ApiError("payload_too_large");
  if (req.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ApiError("payload_too_large");
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The request's JSON body, which must be an object; 400 invalid_json or 413 payload_too_large. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const bytes = await readBodyLimited(req);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError("invalid_json");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError("invalid_json");
  }
  return body as Record<string, unknown>;
}

/** Logs the cause of a 500 on the function's log stream (never in the response). */
export type ErrorLogger = (message: string, cause: unknown) => void;

const logToConsole: ErrorLogger = (message, cause) => console.error(message, cause);

/**
 * Wraps a function's handler: OPTIONS is answered first (CORS preflight), other methods than POST
 * get 405, an ApiError becomes its catalogued response, and anything else a generic 500 whose cause
 * is logged.
 */
export function serveJson(name: string, handler: Handler, log: ErrorLogger = logToConsole): Handler {
  return async (req) => {
    if (req.method === "OPTIONS") return preflightResponse();
    if (req.method !== "POST") {
      return errorResponse(new ApiError("method_not_allowed", undefined, undefined, { Allow: "POST, OPTIONS" }));
    }
    try {
      return await handler(req);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      log(`[${name}] unexpected error`, error);
      return errorResponse(new ApiError("internal_error"));
    }
  };
}
