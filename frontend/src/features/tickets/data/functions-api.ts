import type { ZodMiniType } from 'zod/v4/mini';

import { ApiError, fromFunctionsError } from '@/lib/api-error';
import type { DeskClient } from '@/lib/supabase-client';

import {
  addMessageResponseSchema,
  downloadUrlResponseSchema,
  updateStatusResponseSchema,
  uploadUrlResponseSchema,
  type TicketStatus,
} from './schema';

/** The private bucket of `supabase/migrations/*_attachments.sql`. */
export const ATTACHMENTS_BUCKET = 'support-attachments';

async function invoke<T>(client: DeskClient, name: string, body: object, schema: ZodMiniType<T, unknown>) {
  const { data, error } = await client.functions.invoke(name, { body });
  if (error) throw await fromFunctionsError(error);
  return schema.parse(data);
}

export interface AttachmentInput {
  object_path: string;
  file_name: string;
  mime_type: string;
}

export interface AddMessageInput {
  ticket_id: string;
  content: string;
  client_id: string;
  attachments?: AttachmentInput[];
}

/** 201 new message, 200 the existing one on a retry with the same client_id, 409 ticket_closed. */
export function addMessage(client: DeskClient, input: AddMessageInput) {
  return invoke(client, 'add-message', input, addMessageResponseSchema);
}

/** 409 invalid_transition when the lifecycle forbids it. */
export async function updateTicketStatus(client: DeskClient, ticketId: string, status: TicketStatus) {
  const { ticket } = await invoke(client, 'update-ticket-status', { ticket_id: ticketId, status }, updateStatusResponseSchema);
  return ticket;
}

export function createDownloadUrl(client: DeskClient, attachmentId: string) {
  return invoke(client, 'get-signed-url', { action: 'download', attachment_id: attachmentId }, downloadUrlResponseSchema);
}

/** Bucket and object path of a signed upload URL (…/object/upload/sign/<bucket>/<path>?token=…). */
export function signedUploadTarget(signedUrl: string, path: string): { bucket: string; path: string } {
  let bucket = ATTACHMENTS_BUCKET;
  try {
    const match = /\/object\/upload\/sign\/([^/]+)\//.exec(new URL(signedUrl, 'http://localhost').pathname);
    if (match?.[1]) bucket = decodeURIComponent(match[1]);
  } catch {
    // Keep the default bucket.
  }
  const objectPath = path.startsWith(`${bucket}/`) ? path.slice(bucket.length + 1) : path;
  return { bucket, path: objectPath };
}

/** get-signed-url (upload) → Storage uploadToSignedUrl; returns what add-message needs. */
export async function uploadAttachment(client: DeskClient, ticketId: string, file: File): Promise<AttachmentInput> {
  const mimeType = file.type || 'application/octet-stream';
  const target = await invoke(
    client,
    'get-signed-url',
    { action: 'upload', ticket_id: ticketId, file_name: file.name, mime_type: mimeType, size: file.size },
    uploadUrlResponseSchema,
  );
  const { bucket, path } = signedUploadTarget(target.signed_url, target.path);
  const { error } = await client.storage.from(bucket).uploadToSignedUrl(path, target.token, file, {
    contentType: mimeType,
  });
  if (error) {
    const status = 'status' in error && typeof error.status === 'number' ? error.status : 0;
    throw new ApiError(status, 'upload_failed', `Could not upload ${file.name}: ${error.message}`);
  }
  return { object_path: path, file_name: file.name, mime_type: mimeType };
}
