/**
 * add-message: the ticket's visitor or an agent adds a message, optionally with files already
 * uploaded through get-signed-url. public.add_message checks, in one transaction, that the caller may
 * post to the ticket (else 404, whether or not it exists), that it is not closed (409), and that each
 * attachment is a file directly under tickets/<ticket_id>/ that exists and that the caller uploaded;
 * then it stores the message (sender_type from who calls: agent -> admin, visitor -> customer) and
 * its attachment rows. client_id makes retries safe: 201 for a new message, 200 with the stored one.
 *
 * Content may be empty when files are attached; the message text is then "📎 <file names>".
 */
import { requireCaller } from "../_shared/auth.ts";
import { ApiError } from "../_shared/errors.ts";
import {
  attachmentSummary,
  isInTicketFolder,
  MAX_ATTACHMENTS,
  normalizeMimeType,
  ticketFolder,
} from "../_shared/files.ts";
import { jsonResponse, readJsonObject } from "../_shared/http.ts";
import { codePointLength, Fields } from "../_shared/validation.ts";

export interface AttachmentInput {
  object_path: string;
  file_name: string;
  mime_type: string;
}

export interface AddMessageInput {
  ticket_id: string;
  content: string;
  client_id: string;
  attachments: AttachmentInput[];
}

export interface AddMessageResult {
  message: Record<string, unknown>;
  attachments: Record<string, unknown>[];
  created: boolean;
}

export interface AddMessageServices {
  /** public.add_message as the caller (their Authorization header). */
  addMessage(authorization: string, input: AddMessageInput): Promise<AddMessageResult>;
}

function validateAttachments(fields: Fields): AttachmentInput[] {
  if (!fields.has("attachments")) return [];
  const raw = fields.raw("attachments");
  if (!Array.isArray(raw)) return fields.fail("attachments", "must be an array") ?? [];
  if (raw.length > MAX_ATTACHMENTS) {
    return fields.fail("attachments", `must hold at most ${MAX_ATTACHMENTS} files`) ?? [];
  }
  const attachments: AttachmentInput[] = [];
  raw.forEach((item: unknown, index: number) => {
    const at = `attachments[${index}]`;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      fields.fail(at, "must be an object");
      return;
    }
    const entry = new Fields(item as Record<string, unknown>);
    const objectPath = entry.text("object_path", { min: 1, max: 1024 });
    const fileName = entry.text("file_name", { min: 1, max: 255 });
    const mimeText = entry.text("mime_type", { min: 1, max: 255 });
    const mimeType = mimeText === null ? null : normalizeMimeType(mimeText);
    if (mimeText !== null && mimeType === null) entry.fail("mime_type", "must be a MIME type such as image/png");
    for (const [field, problem] of Object.entries(entry.problems)) fields.fail(`${at}.${field}`, problem);
    if (objectPath !== null && fileName !== null && mimeType !== null) {
      attachments.push({ object_path: objectPath, file_name: fileName, mime_type: mimeType });
    }
  });
  return attachments;
}

export function validateAddMessage(body: Record<string, unknown>): AddMessageInput {
  const fields = new Fields(body);
  const ticketId = fields.uuid("ticket_id");
  const clientId = fields.uuid("client_id");
  const attachments = validateAttachments(fields);
  const rawContent = fields.raw("content");
  let content: string | null = null;
  if (rawContent !== undefined && rawContent !== null && typeof rawContent !== "string") {
    fields.fail("content", "must be a string");
  } else {
    const text = typeof rawContent === "string" ? rawContent.trim() : "";
    if (text === "" && attachments.length > 0) {
      content = attachmentSummary(attachments.map((a) => a.file_name));
    } else if (codePointLength(text) < 1 || codePointLength(text) > 5000) {
      fields.fail("content", "must be 1-5000 characters");
    } else {
      content = text;
    }
  }
  fields.check();
  const outside = attachments.findIndex((a) => !isInTicketFolder(ticketId!, a.object_path));
  if (outside >= 0) {
    const problem = `must be a file directly under ${ticketFolder(ticketId!)}`;
    throw new ApiError("invalid_attachment_path", `attachments[${outside}].object_path ${problem}`, {
      [`attachments[${outside}].object_path`]: problem,
    });
  }
  return { ticket_id: ticketId!, client_id: clientId!, content: content!, attachments };
}

export async function handleAddMessage(req: Request, services: AddMessageServices): Promise<Response> {
  const caller = requireCaller(req);
  const input = validateAddMessage(await readJsonObject(req));
  const { created, ...result } = await services.addMessage(caller.authorization, input);
  return jsonResponse(created ? 201 : 200, result);
}
