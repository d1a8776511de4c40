import assert from "node:assert/strict";
import {
  type AddMessageInput,
  type AddMessageServices,
  handleAddMessage,
  validateAddMessage,
} from "../add-message/handler.ts";
import { ApiError } from "../_shared/errors.ts";
import { serveJson } from "../_shared/http.ts";
import { CLIENT_ID, errorOf, postJson, recordingLogger, TICKET_ID } from "./helpers.ts";

const FILE = { object_path: `tickets/${TICKET_ID}/abc-shot.png`, file_name: "shot.png", mime_type: "image/png" };
const VALID = { ticket_id: TICKET_ID, content: "  Thanks!  ", client_id: CLIENT_ID };

function failure(body: Record<string, unknown>): ApiError {
  try {
    validateAddMessage(body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`expected a validation failure for ${JSON.stringify(body)}`);
}

Deno.test("a valid message is trimmed; attachments default to none", () => {
  assert.deepEqual(validateAddMessage(VALID), {
    ticket_id: TICKET_ID,
    content: "Thanks!",
    client_id: CLIENT_ID,
    attachments: [],
  });
});

Deno.test("ticket_id and client_id are required UUIDs", () => {
  const missing = failure({ content: "hi" });
  assert.equal(missing.code, "validation_failed");
  assert.deepEqual(missing.details, { ticket_id: "is required", client_id: "is required" });
  assert.equal(failure({ ...VALID, client_id: "retry-1" }).details?.client_id, "must be a UUID");
  assert.equal(failure({ ...VALID, ticket_id: "1" }).details?.ticket_id, "must be a UUID");
});

Deno.test("content: 1-5000 characters, a string", () => {
  assert.equal(failure({ ...VALID, content: "   " }).details?.content, "must be 1-5000 characters");
  assert.equal(failure({ ...VALID, content: "x".repeat(5001) }).details?.content, "must be 1-5000 characters");
  assert.equal(failure({ ...VALID, content: undefined }).details?.content, "must be 1-5000 characters");
  assert.equal(failure({ ...VALID, content: ["x"] }).details?.content, "must be a string");
});

Deno.test("empty content with attachments becomes a paperclip summary of the file names", () => {
  const input = validateAddMessage({
    ...VALID,
    content: "",
    attachments: [FILE, { ...FILE, object_path: `${FILE.object_path}2`, file_name: "b.pdf" }],
  });
  assert.equal(input.content, "📎 shot.png, b.pdf");
  assert.equal(validateAddMessage({ ...VALID, content: "look", attachments: [FILE] }).content, "look");
});

Deno.test("sender_type cannot be chosen by the body", () => {
  const input = validateAddMessage({ ...VALID, sender_type: "admin", sender_id: "someone" }) as
    & AddMessageInput
    & Record<string, unknown>;
  assert.equal(input.sender_type, undefined);
  assert.equal(input.sender_id, undefined);
});

Deno.test("attachments: an array of at most 10 complete entries", () => {
  assert.equal(failure({ ...VALID, attachments: "x" }).details?.attachments, "must be an array");
  assert.equal(
    failure({ ...VALID, attachments: Array.from({ length: 11 }, () => FILE) }).details?.attachments,
    "must hold at most 10 files",
  );
  const incomplete = failure({ ...VALID, attachments: [{ object_path: FILE.object_path }, 7] });
  assert.deepEqual(incomplete.details, {
    "attachments[0].file_name": "is required",
    "attachments[0].mime_type": "is required",
    "attachments[1]": "must be an object",
  });
  assert.equal(
    failure({ ...VALID, attachments: [{ ...FILE, mime_type: "png" }] }).details?.["attachments[0].mime_type"],
    "must be a MIME type such as image/png",
  );
  assert.equal(
    validateAddMessage({ ...VALID, attachments: [{ ...FILE, mime_type: "Image/PNG" }] }).attachments[0].mime_type,
    "image/png",
  );
});

Deno.test("an attachment outside tickets/<ticket_id>/ is refused with invalid_attachment_path", () => {
  for (
    const path of [
      "tickets/00000000-0000-4000-8000-000000000000/x.png",
      `tickets/${TICKET_ID}/../other/x.png`,
      `tickets/${TICKET_ID}/sub/x.png`,
      "x.png",
    ]
  ) {
    const error = failure({ ...VALID, attachments: [{ ...FILE, object_path: path }] });
    assert.equal(error.code, "invalid_attachment_path", path);
    assert.equal(error.status, 400);
    assert.ok(error.details?.["attachments[0].object_path"], path);
  }
});

function serve(services: AddMessageServices) {
  return serveJson("add-message", (req) => handleAddMessage(req, services), recordingLogger().log);
}

Deno.test("201 for a new message, 200 for a retry, with {message, attachments}", async () => {
  for (const created of [true, false]) {
    const calls: AddMessageInput[] = [];
    const response = await serve({
      addMessage(_auth, input) {
        calls.push(input);
        return Promise.resolve({ message: { id: "m1" }, attachments: [], created });
      },
    })(postJson(VALID));
    assert.equal(response.status, created ? 201 : 200);
    assert.deepEqual(await response.json(), { message: { id: "m1" }, attachments: [] });
    assert.equal(calls[0].content, "Thanks!");
  }
});

Deno.test("database refusals reach the client with their code", async () => {
  const cases: [ApiError, number, string][] = [
    [new ApiError("ticket_not_found"), 404, "ticket_not_found"],
    [new ApiError("ticket_closed"), 409, "ticket_closed"],
    [new ApiError("attachment_not_owned"), 403, "attachment_not_owned"],
    [new ApiError("attachment_not_uploaded"), 400, "attachment_not_uploaded"],
  ];
  for (const [error, status, code] of cases) {
    const result = await errorOf(await serve({ addMessage: () => Promise.reject(error) })(postJson(VALID)));
    assert.equal(result.status, status);
    assert.equal(result.code, code);
  }
});
