import assert from "node:assert/strict";
import {
  type CreateTicketInput,
  type CreateTicketResult,
  type CreateTicketServices,
  handleCreateTicket,
  validateCreateTicket,
} from "../create-ticket/handler.ts";
import type { ApiError } from "../_shared/errors.ts";
import { serveJson } from "../_shared/http.ts";
import { DEFAULT_CREATE_TICKET_LIMITS, type RateLimitCheck } from "../_shared/rate-limit.ts";
import { CLIENT_ID, errorOf, fakeJwt, postJson, recordingLogger, VISITOR_ID } from "./helpers.ts";

const VALID = { subject: "  Cannot log in  ", message: "It says my password is wrong.", email: "ann@example.com" };

function failsWith(body: Record<string, unknown>, field: string, problem: string | RegExp) {
  assert.throws(() => validateCreateTicket(body), (e: ApiError) => {
    assert.equal(e.code, "validation_failed");
    assert.equal(e.status, 400);
    assert.match(e.details?.[field] ?? "", problem instanceof RegExp ? problem : new RegExp(`^${problem}$`));
    return true;
  }, `${field}: ${JSON.stringify(body)}`);
}

Deno.test("a valid body is trimmed; name and client_id are optional", () => {
  assert.deepEqual(validateCreateTicket(VALID), {
    subject: "Cannot log in",
    message: "It says my password is wrong.",
    email: "ann@example.com",
    name: null,
    client_id: null,
  });
  const full = validateCreateTicket({ ...VALID, name: " Ann ", client_id: CLIENT_ID.toUpperCase() });
  assert.equal(full.name, "Ann");
  assert.equal(full.client_id, CLIENT_ID);
  assert.equal(validateCreateTicket({ ...VALID, name: "   " }).name, null);
});

Deno.test("subject: required, 1-200 characters after trimming", () => {
  failsWith({ ...VALID, subject: undefined }, "subject", "is required");
  failsWith({ ...VALID, subject: "   " }, "subject", "must be 1-200 characters");
  failsWith({ ...VALID, subject: "x".repeat(201) }, "subject", "must be 1-200 characters");
  failsWith({ ...VALID, subject: 42 }, "subject", "must be a string");
  assert.equal(validateCreateTicket({ ...VALID, subject: "x".repeat(200) }).subject.length, 200);
});

Deno.test("message: required, 1-5000 characters", () => {
  failsWith({ ...VALID, message: "" }, "message", "must be 1-5000 characters");
  failsWith({ ...VALID, message: "x".repeat(5001) }, "message", "must be 1-5000 characters");
  assert.ok(validateCreateTicket({ ...VALID, message: "😀".repeat(5000) }));
});

Deno.test("email: required and well-formed", () => {
  failsWith({ ...VALID, email: undefined }, "email", "is required");
  for (const email of ["ann", "ann@", "ann@example", "a n@example.com", "@example.com", "ann@@example.com"]) {
    failsWith({ ...VALID, email }, "email", "must be a valid email address");
  }
  failsWith({ ...VALID, email: `${"a".repeat(320)}@example.com` }, "email", /must be 1-320 characters/);
});

Deno.test("name: 1-100 characters when given; client_id: a UUID when given", () => {
  failsWith({ ...VALID, name: "x".repeat(101) }, "name", "must be 1-100 characters");
  failsWith({ ...VALID, client_id: "123" }, "client_id", "must be a UUID");
});

Deno.test("all problems are reported at once", () => {
  assert.throws(() => validateCreateTicket({}), (e: ApiError) => {
    assert.deepEqual(Object.keys(e.details ?? {}).sort(), ["email", "message", "subject"]);
    return true;
  });
});

interface Recorder {
  checks: RateLimitCheck[][];
  created: { authorization: string; input: CreateTicketInput }[];
}

function services(overrides: Partial<CreateTicketServices> = {}): CreateTicketServices & Recorder {
  const recorder: Recorder = { checks: [], created: [] };
  const result: CreateTicketResult = {
    ticket: { id: "t1" },
    message: { id: "m1" },
    customer: { id: "c1" },
    created: true,
  };
  return {
    ...recorder,
    consumeRateLimits(checks) {
      recorder.checks.push(checks);
      return Promise.resolve({ allowed: true, retry_after: 0, denied: [] });
    },
    createTicket(authorization, input) {
      recorder.created.push({ authorization, input });
      return Promise.resolve(result);
    },
    ...overrides,
  };
}

const serve = (s: CreateTicketServices, log = recordingLogger().log) =>
  serveJson("create-ticket", (req) => handleCreateTicket(req, s, DEFAULT_CREATE_TICKET_LIMITS), log);

Deno.test("201 with {ticket, message, customer}; the caller's token is forwarded; limits are counted", async () => {
  const s = services();
  const response = await serve(s)(postJson(VALID, { "x-forwarded-for": "6.6.6.6, 203.0.113.9" }));
  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), { ticket: { id: "t1" }, message: { id: "m1" }, customer: { id: "c1" } });
  assert.equal(s.created.length, 1);
  assert.match(s.created[0].authorization, /^Bearer /);
  assert.deepEqual(s.checks[0].map((c) => [c.bucket, c.subject, c.max_hits, c.window_seconds]), [
    ["create_ticket:ip", "203.0.113.9", 6, 43200],
    ["create_ticket:visitor", VISITOR_ID, 6, 43200],
  ]);
});

Deno.test("a retried create (same client_id) answers 200", async () => {
  const s = services({
    createTicket: () => Promise.resolve({ ticket: {}, message: {}, customer: {}, created: false }),
  });
  assert.equal((await serve(s)(postJson({ ...VALID, client_id: CLIENT_ID }))).status, 200);
});

Deno.test("over the limit: 429 rate_limited with Retry-After, and no ticket is created", async () => {
  const s = services({
    consumeRateLimits: () => Promise.resolve({ allowed: false, retry_after: 3600, denied: ["create_ticket:ip"] }),
  });
  const response = await serve(s)(postJson(VALID));
  const { status, code } = await errorOf(response);
  assert.equal(status, 429);
  assert.equal(code, "rate_limited");
  assert.equal(response.headers.get("retry-after"), "3600");
  assert.equal(s.created.length, 0);
});

Deno.test("invalid input is refused before counting a hit or touching the database", async () => {
  const s = services();
  const { status, code } = await errorOf(await serve(s)(postJson({ ...VALID, email: "nope" })));
  assert.equal(status, 400);
  assert.equal(code, "validation_failed");
  assert.equal(s.checks.length, 0);
  assert.equal(s.created.length, 0);
});

Deno.test("no user session (anon key): 401 not_authenticated", async () => {
  const s = services();
  const req = postJson(VALID, { Authorization: `Bearer ${fakeJwt({ role: "anon" })}` });
  const { status, code } = await errorOf(await serve(s)(req));
  assert.equal(status, 401);
  assert.equal(code, "not_authenticated");
  assert.equal(s.created.length, 0);
});

Deno.test("a failing rate limiter is an internal error, not a free pass", async () => {
  const logger = recordingLogger();
  const s = services({ consumeRateLimits: () => Promise.reject(new Error("connection refused")) });
  const { status, code } = await errorOf(await serve(s, logger.log)(postJson(VALID)));
  assert.equal(status, 500);
  assert.equal(code, "internal_error");
  assert.equal(s.created.length, 0);
  assert.equal(logger.lines.length, 1);
});
