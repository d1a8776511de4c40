/** Test helpers: unsigned JWTs (the runtime verifies signatures, the functions only read claims) and requests. */

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}.c2ln`;
}

export const VISITOR_ID = "3f6c2a4e-8d1b-4c7a-9e5f-0a1b2c3d4e5f";
export const TICKET_ID = "9b2e7f10-4c3d-4e8a-8f6b-1d2c3b4a5e6f";
export const CLIENT_ID = "0d9c8b7a-6f5e-4d3c-8b2a-19f8e7d6c5b4";

export function visitorToken(sub: string = VISITOR_ID): string {
  return fakeJwt({ sub, role: "authenticated", aud: "authenticated", is_anonymous: true, exp: 2_000_000_000 });
}

export function postJson(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/fn", {
    method: "POST",
    headers: { Authorization: `Bearer ${visitorToken()}`, "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string> };
}

export async function errorOf(response: Response): Promise<{ status: number; code: string; body: ErrorBody }> {
  const body = await response.json() as ErrorBody;
  return { status: response.status, code: body.error?.code, body };
}

/** A logger that records instead of printing, to assert that causes are logged and not sent. */
export function recordingLogger(): { lines: string[]; log: (message: string, cause: unknown) => void } {
  const lines: string[] = [];
  return { lines, log: (message, cause) => lines.push(`${message} ${String(cause)}`) };
}
