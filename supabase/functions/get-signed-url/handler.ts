/**
 * get-signed-url: signed Storage URLs for attachments, so files never pass through a function.
 *
 * upload   {action, ticket_id, file_name, mime_type, size}: public.check_attachment_upload confirms
 *          the caller may post to the ticket (its visitor or an agent; not closed) and that the
 *          declared type and size fit the bucket (its row is the one source of truth); the object
 *          path is tickets/<ticket_id>/<uuid>-<safe-name>; the URL is signed *as the caller*, so
 *          Storage checks its INSERT policy and records the caller as the object's owner, which
 *          add-message later requires. -> {path, signed_url, token, expires_in}
 * download {action, attachment_id}: the attachments row must be visible to the caller (RLS);
 *          the URL is valid 7 days. -> {signed_url, expires_in}
 *
 * The upload token's lifetime is a Storage server setting (storage-js cannot ask for one); we
 * promise 1 hour and report less if the token expires sooner.
 */
import { decodeJwtClaims, requireCaller } from "../_shared/auth.ts";
import { ApiError } from "../_shared/errors.ts";
import { attachmentObjectPath, normalizeMimeType } from "../_shared/files.ts";
import { jsonResponse, readJsonObject } from "../_shared/http.ts";
import { Fields } from "../_shared/validation.ts";

export const UPLOAD_URL_TTL_SECONDS = 60 * 60;
export const DOWNLOAD_URL_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface UploadRequest {
  ticket_id: string;
  file_name: string;
  mime_type: string;
  size: number;
}

export interface AttachmentLocation {
  bucket: string;
  object_path: string;
}

export interface GetSignedUrlServices {
  /** public.check_attachment_upload as the caller; returns the bucket to upload into. */
  checkUpload(authorization: string, request: UploadRequest): Promise<{ bucket: string }>;
  /** storage-js createSignedUploadUrl as the caller. */
  createSignedUploadUrl(
    authorization: string,
    bucket: string,
    path: string,
  ): Promise<{ signedUrl: string; token: string }>;
  /** The attachments row, read as the caller (RLS), or null when they may not see it. */
  findAttachment(authorization: string, attachmentId: string): Promise<AttachmentLocation | null>;
  /** storage-js createSignedUrl as the caller. */
  createSignedDownloadUrl(authorization: string, location: AttachmentLocation, expiresIn: number): Promise<string>;
}

export type SignedUrlRequest = { action: "upload" } & UploadRequest | { action: "download"; attachment_id: string };

export function validateSignedUrlRequest(body: Record<string, unknown>): SignedUrlRequest {
  const fields = new Fields(body);
  const action = fields.oneOf("action", ["upload", "download"] as const);
  if (action === "download") {
    const attachmentId = fields.uuid("attachment_id");
    fields.check();
    return { action, attachment_id: attachmentId! };
  }
  if (action === null) fields.check();
  const ticketId = fields.uuid("ticket_id");
  const fileName = fields.text("file_name", { min: 1, max: 255 });
  const mimeText = fields.text("mime_type", { min: 1, max: 255 });
  const mimeType = mimeText === null ? null : normalizeMimeType(mimeText);
  if (mimeText !== null && mimeType === null) fields.fail("mime_type", "must be a MIME type such as image/png");
  const size = fields.integer("size", 1, Number.MAX_SAFE_INTEGER);
  fields.check();
  return { action: "upload", ticket_id: ticketId!, file_name: fileName!, mime_type: mimeType!, size: size! };
}

/** Seconds the upload token is good for: 1 hour, or less if Storage issued a shorter-lived token. */
export function uploadExpiresIn(token: string, nowSeconds: number = Date.now() / 1000): number {
  const exp = decodeJwtClaims(token)?.exp;
  if (typeof exp !== "number") return UPLOAD_URL_TTL_SECONDS;
  return Math.max(0, Math.min(UPLOAD_URL_TTL_SECONDS, Math.floor(exp - nowSeconds)));
}

export async function handleGetSignedUrl(req: Request, services: GetSignedUrlServices): Promise<Response> {
  const caller = requireCaller(req);
  const request = validateSignedUrlRequest(await readJsonObject(req));
  if (request.action === "download") {
    const location = await services.findAttachment(caller.authorization, request.attachment_id);
    if (location === null) throw new ApiError("attachment_not_found");
    const signedUrl = await services.createSignedDownloadUrl(caller.authorization, location, DOWNLOAD_URL_TTL_SECONDS);
    return jsonResponse(200, { signed_url: signedUrl, expires_in: DOWNLOAD_URL_TTL_SECONDS });
  }
  const { action: _, ...upload } = request;
  const { bucket } = await services.checkUpload(caller.authorization, upload);
  const path = attachmentObjectPath(upload.ticket_id, upload.file_name);
  const signed = await services.createSignedUploadUrl(caller.authorization, bucket, path);
  return jsonResponse(200, {
    path,
    signed_url: signed.signedUrl,
    token: signed.token,
    expires_in: uploadExpiresIn(signed.token),
  });
}
