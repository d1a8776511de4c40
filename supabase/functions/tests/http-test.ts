import assert from "node:assert/strict";
import { decodeJwtClaims, requireCaller } from "../_shared/auth.ts";
import { corsHeaders } from "../_shared/cors.ts";
import { ApiError } from "../_shared/errors.ts";
import { jsonResponse, MAX_BODY_BYTES, readBodyLimited, readJsonObject, serveJson } from "../_shared/http.ts";
import { Fields } from "../_shared/validation.ts";
import { errorOf, fakeJwt, postJson, recordingLogger, VISITOR_ID, visitorToken } from "./helpers.ts";

const ok = () => Promise.resolve(jsonResponse(200, { ok: true }));

Deno.test("OPTIONS is answered first with the CORS headers, without calling the handler or checking auth", async () => {
  let called = false;
  const handler = serveJson("t", () => {
    called = true;
    return ok();
  });
  const response = await handler(new Request("http://localhost/fn", { method: "OPTIONS" }));
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "ok");
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.match(response.headers.get("access-control-allow-headers") ?? "", /authorization/);
  assert.match(response.headers.get("access-control-allow-headers") ?? "", /x-client-info/);
  assert.equal(called, false);
});

Deno.test("every JSON response carries CORS headers and exposes Retry-After", () => {
  const response = jsonResponse(201, {});
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.equal(response.headers.get("access-control-expose-headers"), "Retry-After");
  assert.equal(corsHeaders["Access-Control-Allow-Origin"], "*");
});

Deno.test("methods other than POST get 405 method_not_allowed", async () => {
  const response = await serveJson("t", ok)(new Request("http://localhost/fn", { method: "GET" }));
  const { status, code } = await errorOf(response);
  assert.equal(status, 405);
  assert.equal(code, "method_not_allowed");
  assert.equal(response.headers.get("allow"), "POST, OPTIONS");
});

Deno.test("an ApiError becomes its catalogued response", async () => {
  const handler = serveJson("t", () => Promise.reject(new ApiError("ticket_closed", "Ticket #4 is closed")));
  const { status, body } = await errorOf(await handler(postJson({})));
  assert.equal(status, 409);
  assert.deepEqual(body, { error: { code: "ticket_closed", message: "Ticket #4 is closed" } });
});

Deno.test("an unexpected error is logged and answered with a generic 500 that leaks nothing", async () => {
  const logger = recordingLogger();
  const secret = 'relation "private.secret_table" does not exist at db.internal:5432';
  const handler = serveJson("t", () => Promise.reject(new Error(secret)), logger.log);
  const response = await handler(postJson({}));
  const text = await response.text();
  assert.equal(response.status, 500);
  assert.deepEqual(JSON.parse(text), { error: { code: "internal_error", message: "Internal error" } });
  assert.ok(!text.includes("secret_table"));
  assert.equal(logger.lines.length, 1);
  assert.ok(logger.lines[0].includes("secret_table"));
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
});

Deno.test("readJsonObject accepts an object and refuses other JSON, broken JSON and huge bodies", async () => {
  assert.deepEqual(await readJsonObject(postJson({ a: 1 })), { a: 1 });
  for (const body of ["[1,2]", "null", '"text"', "42", "{broken", ""]) {
    await assert.rejects(readJsonObject(postJson(body)), (e: ApiError) => e.code === "invalid_json", body);
  }
  const huge = JSON.stringify({ content: "x".repeat(MAX_BODY_BYTES) });
  await assert.rejects(readJsonObject(postJson(huge)), (e: ApiError) => e.code === "payload_too_large");
});

Deno.test("a streamed body without Content-Length is cut off once it passes the limit", async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(16 * 1024).fill(32));
    },
  });
  const req = new Request("http://localhost/fn", { method: "POST", body: endless });
  assert.equal(req.headers.get("content-length"), null);
  await assert.rejects(readBodyLimited(req), (e: ApiError) => e.code === "payload_too_large");
  assert.ok(pulled <= MAX_BODY_BYTES / (16 * 1024) + 2, `read ${pulled} chunks`);
  assert.equal((await readBodyLimited(postJson({ a: 1 }))).byteLength, 7);
});

Deno.test("requireCaller reads the user from the Bearer token", () => {
  const caller = requireCaller(postJson({}));
  assert.equal(caller.userId, VISITOR_ID);
  assert.equal(caller.isAnonymous, true);
  assert.equal(caller.authorization, `Bearer ${visitorToken()}`);
});

Deno.test("requireCaller refuses missing tokens, the anon and service keys, and garbage", () => {
  const cases: Record<string, string | undefined> = {
    missing: undefined,
    anonKey: `Bearer ${fakeJwt({ role: "anon", iss: "supabase" })}`,
    serviceKey: `Bearer ${fakeJwt({ role: "service_role", iss: "supabase" })}`,
    notBearer: `Basic ${visitorToken()}`,
    garbage: "Bearer not.a.jwt",
    badSub: `Bearer ${fakeJwt({ role: "authenticated", sub: "1 or 1=1" })}`,
  };
  for (const [name, header] of Object.entries(cases)) {
    const headers: Record<string, string> = header ? { Authorization: header } : {};
    const req = new Request("http://localhost/fn", { method: "POST", headers });
    assert.throws(() => requireCaller(req), (e: ApiError) => e.code === "not_authenticated" && e.status === 401, name);
  }
});

Deno.test("decodeJwtClaims handles base64url payloads and rejects non-JWTs", () => {
  assert.deepEqual(decodeJwtClaims(fakeJwt({ sub: "ü?>", n: 1 })), { sub: "ü?>", n: 1 });
  assert.equal(decodeJwtClaims("a.b"), null);
  assert.equal(decodeJwtClaims("a.%%%.c"), null);
  assert.equal(decodeJwtClaims(`a.${btoa("[1]")}.c`), null);
});

Deno.test("Fields counts characters as code points (like char_length) and collects every problem", () => {
  const fields = new Fields({ a: "😀".repeat(5), b: "😀".repeat(6), c: 5, e: "  " });
  assert.equal(fields.text("a", { min: 1, max: 5 }), "😀".repeat(5));
  assert.equal(fields.text("b", { min: 1, max: 5 }), null);
  assert.equal(fields.text("c", { min: 1, max: 5 }), null);
  assert.equal(fields.text("d", { min: 1, max: 5 }), null);
  assert.equal(fields.text("e", { min: 1, max: 5, optional: true }), null);
  assert.deepEqual(fields.problems, { b: "must be 1-5 characters", c: "must be a string", d: "is required" });
  assert.throws(
    () => fields.check(),
    (e: ApiError) => e.code === "validation_failed" && e.details?.d === "is required",
  );
});
