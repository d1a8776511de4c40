import assert from "node:assert/strict";
import { handleUpdateTicketStatus, validateUpdateTicketStatus } from "../update-ticket-status/handler.ts";
import { ApiError, fromDatabaseError } from "../_shared/errors.ts";
import { serveJson } from "../_shared/http.ts";
import { errorOf, postJson, recordingLogger, TICKET_ID } from "./helpers.ts";

Deno.test("only the four defined statuses are accepted", () => {
  for (const status of ["open", "pending", "resolved", "closed"]) {
    assert.deepEqual(validateUpdateTicketStatus({ ticket_id: TICKET_ID, status }), { ticket_id: TICKET_ID, status });
  }
  for (const status of ["OPEN", "archived", "", 1, null]) {
    assert.throws(
      () => validateUpdateTicketStatus({ ticket_id: TICKET_ID, status }),
      (e: ApiError) => e.code === "validation_failed" && e.details?.status !== undefined,
      String(status),
    );
  }
  assert.throws(
    () => validateUpdateTicketStatus({ status: "open" }),
    (e: ApiError) => e.details?.ticket_id === "is required",
  );
});

function serve(result: Promise<{ ticket: Record<string, unknown> }>) {
  return serveJson(
    "update-ticket-status",
    (req) => handleUpdateTicketStatus(req, { updateStatus: () => result }),
    recordingLogger().log,
  );
}

Deno.test("200 {ticket} on success", async () => {
  const response = await serve(Promise.resolve({ ticket: { id: TICKET_ID, status: "resolved" } }))(
    postJson({ ticket_id: TICKET_ID, status: "resolved" }),
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ticket: { id: TICKET_ID, status: "resolved" } });
});

Deno.test("a visitor gets 403 forbidden; a forbidden transition 409 invalid_transition (from the SQL errors)", async () => {
  const forbidden = fromDatabaseError({ code: "PT403", message: "Only support agents", details: "forbidden" })!;
  const transition = fromDatabaseError({
    code: "PT409",
    message: "Ticket #1 cannot move from closed to open",
    details: "invalid_transition",
  })!;
  const body = { ticket_id: TICKET_ID, status: "open" };
  const a = await errorOf(await serve(Promise.reject(forbidden))(postJson(body)));
  assert.deepEqual([a.status, a.code], [403, "forbidden"]);
  const b = await errorOf(await serve(Promise.reject(transition))(postJson(body)));
  assert.deepEqual([b.status, b.code], [409, "invalid_transition"]);
  assert.equal(b.body.error.message, "Ticket #1 cannot move from closed to open");
});
