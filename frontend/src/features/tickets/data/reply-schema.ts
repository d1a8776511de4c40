import * as z from 'zod/v4/mini';

/** Mirrors the `support-attachments` bucket (supabase/migrations/*_attachments.sql). */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;
export const MAX_REPLY_LENGTH = 5000;
export const ALLOWED_MIME_TYPES = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp',
  'video/mp4', 'video/webm', 'video/quicktime',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/zip', 'application/gzip', 'application/x-7z-compressed',
  'text/plain', 'text/csv',
] as const;

/** Why a file cannot be attached, or null when it can. */
export function attachmentProblem(file: File): string | null {
  if (file.size > MAX_ATTACHMENT_BYTES) return `${file.name} is larger than 50 MB.`;
  if (!(ALLOWED_MIME_TYPES as readonly string[]).includes(file.type)) return `${file.name}: this file type cannot be attached.`;
  return null;
}

export const replySchema = z
  .object({
    content: z.string().check(z.maxLength(MAX_REPLY_LENGTH, `A reply is limited to ${MAX_REPLY_LENGTH} characters`)),
    files: z
      .array(z.custom<File>((value) => typeof File !== 'undefined' && value instanceof File))
      .check(z.maxLength(MAX_ATTACHMENTS, `Attach at most ${MAX_ATTACHMENTS} files`)),
  })
  .check((ctx) => {
    const { content, files } = ctx.value;
    if (!content.trim() && files.length === 0) {
      ctx.issues.push({ code: 'custom', path: ['content'], message: 'Write a reply or attach a file', input: content });
    }
    for (const file of files) {
      const problem = attachmentProblem(file);
      if (problem) ctx.issues.push({ code: 'custom', path: ['files'], message: problem, input: file });
    }
  });
export type ReplyValues = z.infer<typeof replySchema>;

/** The database requires text; a files-only reply says what it carries. */
export function replyContent(values: ReplyValues): string {
  const text = values.content.trim();
  return text || `Attached: ${values.files.map((file) => file.name).join(', ')}`;
}
