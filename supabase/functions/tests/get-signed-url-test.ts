import assert from "node:assert/strict";
import {
  DOWNLOAD_URL_TTL_SECONDS,
  type GetSignedUrlServices,
  handleGetSignedUrl,
  UPLOAD_URL_TTL_SECONDS,
  uploadExpiresIn,
  validateSignedUrlRequest,
} from "../get-signed-url/handler.ts";
import type { ApiError } from "../_shared/errors.ts";
import { serveJson } from "../_shared/http.ts";
import { errorOf, fakeJwt, postJson, recordingLogger, TICKET_ID } from "./helpers.ts";

const UPLOAD = { action: "upload", ticket_id: TICKET_ID, file_name: "my shot.png", mime_type: "image/png", size: 1234 };
const ATTACHMENT_ID = "5e0c6c1a-7b8d-4e2f-9a3b-4c5d6e7f8a9b";

function details(body: Record<string, unknown>): Record<string, string> {
  try {
    validateSignedUrlRequest(body);
  } catch (error) {
    return (error as ApiError).details ?? {};
  }
  throw new Error("expected a validation failure");
}

Deno.test("action must be upload or download", () => {
  assert.deepEqual(details({}), { action: "is required" });
  assert.deepEqual(details({ action: "delete" }), { action: "must be one of upload, download" });
});

Deno.test("upload: ticket_id, file_name, a MIME type and a positive integer size", () => {
  assert.deepEqual(validateSignedUrlRequest({ ...UPLOAD, mime_type: "Image/PNG" }), {
    ...UPLOAD,
    mime_type: "image/png",
  });
  assert.deepEqual(details({ action: "upload" }), {
    ticket_id: "is required",
    file_name: "is required",
    mime_type: "is required",
    size: "is required",
  });
  assert.equal(details({ ...UPLOAD, mime_type: "png" }).mime_type, "must be a MIME type such as image/png");
  assert.equal(details({ ...UPLOAD, file_name: "x".repeat(256) }).file_name, "must be 1-255 characters");
  for (const size of [0, -1, 1.5, "10", Number.MAX_SAFE_INTEGER + 2]) {
    assert.ok(details({ ...UPLOAD, size }).size, String(size));
  }
});

Deno.test("download: attachment_id must be a UUID", () => {
  assert.deepEqual(validateSignedUrlRequest({ action: "download", attachment_id: ATTACHMENT_ID }), {
    action: "download",
    attachment_id: ATTACHMENT_ID,
  });
  assert.deepEqual(details({ action: "download", attachment_id: "../x" }), { attachment_id: "must be a UUID" });
});

Deno.test("upload expiry: 1 hour, or less when Storage's token expires sooner", () => {
  const now = 1_800_000_000;
  assert.equal(uploadExpiresIn(fakeJwt({ exp: now + 7200 }), now), UPLOAD_URL_TTL_SECONDS);
  assert.equal(uploadExpiresIn(fakeJwt({ exp: now + 60 }), now), 60);
  assert.equal(uploadExpiresIn(fakeJwt({ exp: now - 5 }), now), 0);
  assert.equal(uploadExpiresIn("opaque-token", now), UPLOAD_URL_TTL_SECONDS);
});

function fakeServices(log: string[]): GetSignedUrlServices {
  return {
    checkUpload(_auth, request) {
      log.push(`check ${request.mime_type} ${request.size}`);
      return Promise.resolve({ bucket: "support-attachments" });
    },
    createSignedUploadUrl(auth, bucket, path) {
      log.push(`sign-upload ${bucket} ${path} ${auth.slice(0, 7)}`);
      return Promise.resolve({
        signedUrl: `http://api/storage/v1/object/upload/sign/${bucket}/${path}?token=T`,
        token: "T",
      });
    },
    findAttachment(_auth, id) {
      log.push(`find ${id}`);
      return Promise.resolve(
        id === ATTACHMENT_ID ? { bucket: "support-attachments", object_path: `tickets/${TICKET_ID}/a-b.png` } : null,
      );
    },
    createSignedDownloadUrl(_auth, location, expiresIn) {
      log.push(`sign-download ${location.object_path} ${expiresIn}`);
      return Promise.resolve(`http://api/storage/v1/object/sign/${location.bucket}/${location.object_path}?token=D`);
    },
  };
}

const serve = (services: GetSignedUrlServices) =>
  serveJson("get-signed-url", (req) => handleGetSignedUrl(req, services), recordingLogger().log);

Deno.test("upload: checks first, then signs tickets/<ticket_id>/<uuid>-<safe-name> as the caller", async () => {
  const log: string[] = [];
  const response = await serve(fakeServices(log))(postJson(UPLOAD));
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.match(body.path, new RegExp(`^tickets/${TICKET_ID}/[0-9a-f-]{36}-my-shot\\.png$`));
  assert.equal(body.token, "T");
  assert.equal(body.expires_in, 3600);
  assert.ok(body.signed_url.includes(body.path));
  assert.equal(log[0], "check image/png 1234");
  assert.equal(log[1], `sign-upload support-attachments ${body.path} Bearer `);
});

Deno.test("download: a visible attachment gets a 7-day URL; an invisible one 404 attachment_not_found", async () => {
  const log: string[] = [];
  const ok = await serve(fakeServices(log))(postJson({ action: "download", attachment_id: ATTACHMENT_ID }));
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), {
    signed_url: `http://api/storage/v1/object/sign/support-attachments/tickets/${TICKET_ID}/a-b.png?token=D`,
    expires_in: DOWNLOAD_URL_TTL_SECONDS,
  });
  assert.equal(DOWNLOAD_URL_TTL_SECONDS, 604800);

  const other = "6e0c6c1a-7b8d-4e2f-9a3b-4c5d6e7f8a9b";
  const missing = await errorOf(await serve(fakeServices(log))(postJson({ action: "download", attachment_id: other })));
  assert.deepEqual([missing.status, missing.code], [404, "attachment_not_found"]);
  assert.ok(!log.some((line) => line.startsWith("sign-download") && line.includes(other)));
});
