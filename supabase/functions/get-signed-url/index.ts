import { type SupabaseClient, userClient } from "../_shared/clients.ts";
import { callRpc, UnexpectedDatabaseError } from "../_shared/database.ts";
import { ApiError } from "../_shared/errors.ts";
import { serveJson } from "../_shared/http.ts";
import { type AttachmentLocation, handleGetSignedUrl } from "./handler.ts";

class UnexpectedStorageError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`${operation} failed`, { cause });
    this.name = "UnexpectedStorageError";
  }
}

/** One user-scoped client per request (an upload makes three calls as the caller). */
function perRequest(): (authorization: string) => SupabaseClient {
  let client: SupabaseClient | null = null;
  return (authorization) => (client ??= userClient(authorization));
}

Deno.serve(serveJson("get-signed-url", (req) => {
  const asCaller = perRequest();
  return handleGetSignedUrl(req, {
    checkUpload: (authorization, request) =>
      callRpc(asCaller(authorization), "check_attachment_upload", {
        ticket_id: request.ticket_id,
        mime_type: request.mime_type,
        size_bytes: request.size,
      }),

    async createSignedUploadUrl(authorization, bucket, path) {
      const { data, error } = await asCaller(authorization).storage.from(bucket).createSignedUploadUrl(path);
      if (error) throw new UnexpectedStorageError("createSignedUploadUrl", error);
      return data;
    },

    async findAttachment(authorization, attachmentId) {
      const { data, error } = await asCaller(authorization)
        .from("attachments")
        .select("bucket, object_path")
        .eq("id", attachmentId)
        .maybeSingle();
      if (error) throw new UnexpectedDatabaseError("select attachments", error);
      return data as AttachmentLocation | null;
    },

    async createSignedDownloadUrl(authorization, location, expiresIn) {
      const { data, error } = await asCaller(authorization)
        .storage.from(location.bucket)
        .createSignedUrl(location.object_path, expiresIn);
      if (error) {
        // The row is visible but Storage no longer has (or shows) the object.
        if ((error as { statusCode?: string }).statusCode === "404") throw new ApiError("attachment_not_found");
        throw new UnexpectedStorageError("createSignedUrl", error);
      }
      return data.signedUrl;
    },
  });
}));
