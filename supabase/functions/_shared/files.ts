/**
 * Attachment names and paths. Objects live in the private `support-attachments` bucket under
 * `tickets/<ticket_id>/<uuid>-<safe-name>`; the original file name is kept only in the attachments
 * row, for display.
 */

export const ATTACHMENTS_BUCKET = "support-attachments";
export const MAX_ATTACHMENTS = 10;
const MAX_STEM = 80;
const MAX_EXTENSION = 16;
const MAX_CONTENT = 5000;

/**
 * A storage-safe version of a user's file name: the last path segment only, accents folded to
 * ASCII, every other character outside [A-Za-z0-9._-] turned into "-", no leading dots (no hidden
 * files, no "..") and a bounded length. Never empty ("file").
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const folded = base.normalize("NFKD").replace(/\p{M}+/gu, "");
  const safe = folded.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/-{2,}/g, "-").replace(/\.{2,}/g, ".");
  const trim = (part: string) => part.replace(/^[-._]+|[-._]+$/g, "");
  const dot = safe.lastIndexOf(".");
  let stem = trim(dot > 0 ? safe.slice(0, dot) : safe);
  const extension = dot > 0 ? safe.slice(dot + 1).replace(/[^A-Za-z0-9]/g, "").slice(0, MAX_EXTENSION) : "";
  stem = trim(stem.slice(0, MAX_STEM)) || "file";
  return extension ? `${stem}.${extension}` : stem;
}

// RFC 6838 type/subtype names, lowercase.
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** "Image/PNG; charset=x" -> "image/png"; null when it is not a MIME type at all. */
export function normalizeMimeType(value: string): string | null {
  const essence = value.split(";")[0].trim().toLowerCase();
  return MIME_TYPE.test(essence) ? essence : null;
}

export function ticketFolder(ticketId: string): string {
  return `tickets/${ticketId.toLowerCase()}/`;
}

export function attachmentObjectPath(ticketId: string, fileName: string, id: string = crypto.randomUUID()): string {
  return `${ticketFolder(ticketId)}${id}-${sanitizeFileName(fileName)}`;
}

/** True when `path` names a file directly inside the ticket's folder (what add_message accepts). */
export function isInTicketFolder(ticketId: string, path: string): boolean {
  const folder = ticketFolder(ticketId);
  const rest = path.startsWith(folder) ? path.slice(folder.length) : "";
  return rest.length > 0 && !rest.includes("/") && rest !== "." && rest !== "..";
}

/** The message text when a visitor sends files without words: "📎 a.png, b.pdf" (at most 5,000 characters). */
export function attachmentSummary(fileNames: readonly string[]): string {
  const text = `📎 ${fileNames.join(", ")}`;
  const chars = [...text];
  return chars.length <= MAX_CONTENT ? text : `${chars.slice(0, MAX_CONTENT - 1).join("")}…`;
}
