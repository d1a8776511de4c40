import assert from "node:assert/strict";
import { ApiError, ERROR_CATALOGUE, fromDatabaseError, rateLimitedError, validationError } from "../_shared/errors.ts";

Deno.test("every catalogued code has a 4xx/5xx status and a message", () => {
  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    assert.ok(entry.status >= 400 && entry.status <= 599, code);
    assert.ok(entry.message.length > 0, code);
  }
});

Deno.test("ApiError renders {error: {code, message}} and details only when present", () => {
  assert.deepEqual(new ApiError("ticket_closed").toBody(), {
    error: { code: "ticket_closed", message: "Ticket is closed" },
  });
  assert.deepEqual(validationError({ subject: "is required" }).toBody(), {
    error: { code: "validation_failed", message: "subject is required", details: { subject: "is required" } },
  });
  assert.equal(validationError({ a: "x", b: "y" }).message, "2 fields are invalid: a, b");
});

Deno.test("rateLimitedError sets Retry-After in whole seconds, at least 1", () => {
  assert.equal(rateLimitedError(12.2).headers["Retry-After"], "13");
  assert.equal(rateLimitedError(0).headers["Retry-After"], "1");
  assert.equal(rateLimitedError(5).status, 429);
});

Deno.test("PT codes with a catalogued detail map to that code, status and the SQL message", () => {
  const closed = fromDatabaseError({ code: "PT409", message: "Ticket #12 is closed", details: "ticket_closed" });
  assert.equal(closed?.code, "ticket_closed");
  assert.equal(closed?.status, 409);
  assert.equal(closed?.message, "Ticket #12 is closed");

  const transition = fromDatabaseError({
    code: "PT409",
    message: "Ticket #3 cannot move from closed to open",
    details: "invalid_transition",
  });
  assert.equal(transition?.code, "invalid_transition");

  assert.equal(fromDatabaseError({ code: "PT403", message: "x", details: "forbidden" })?.status, 403);
  assert.equal(fromDatabaseError({ code: "PT404", message: "x", details: "ticket_not_found" })?.status, 404);
  assert.equal(fromDatabaseError({ code: "PT415", message: "x", details: "unsupported_file_type" })?.status, 415);
  assert.equal(fromDatabaseError({ code: "PT413", message: "x", details: "file_too_large" })?.status, 413);
});

Deno.test("a validation error from SQL keeps its field (hint) in details", () => {
  const error = fromDatabaseError({
    code: "PT400",
    message: "subject must be 1-200 characters",
    details: "validation_failed",
    hint: "subject",
  });
  assert.equal(error?.status, 400);
  assert.deepEqual(error?.details, { subject: "must be 1-200 characters" });
});

Deno.test("an expired upload names the attachments field", () => {
  const error = fromDatabaseError({
    code: "PT400",
    message: "an upload must be sent within 6 hours; attach the file again",
    details: "attachment_expired",
    hint: "attachments",
  });
  assert.equal(error?.code, "attachment_expired");
  assert.equal(error?.status, 400);
  assert.deepEqual(error?.details, { attachments: "an upload must be sent within 6 hours; attach the file again" });
});

Deno.test("a rate limit from SQL carries Retry-After from the hint", () => {
  const error = fromDatabaseError({ code: "PT429", message: "Too many", details: "rate_limited", hint: "120" });
  assert.equal(error?.status, 429);
  assert.equal(error?.headers["Retry-After"], "120");
});

Deno.test("JWT errors from PostgREST become 401 not_authenticated", () => {
  assert.equal(fromDatabaseError({ code: "PGRST303", message: "JWT expired" })?.code, "not_authenticated");
  assert.equal(fromDatabaseError({ code: "PGRST301", message: "JWSError" })?.status, 401);
});

Deno.test("other database errors are unexpected (null): never passed to the client", () => {
  for (
    const error of [
      { code: "23505", message: 'duplicate key value violates unique constraint "x"', details: "Key (id)=(1)" },
      { code: "42501", message: "permission denied for table tickets" },
      { code: "PGRST202", message: "Could not find the function public.create_ticket" },
      { code: "PT409", message: "x", details: "something_else" },
      { code: "PT500", message: "x", details: "ticket_closed" }, // status does not match the code
      { code: "P0001", message: "boom", details: "ticket_closed" },
      { code: "", message: "TypeError: fetch failed" },
      {},
    ]
  ) {
    assert.equal(fromDatabaseError(error), null, JSON.stringify(error));
  }
});
