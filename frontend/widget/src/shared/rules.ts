/**
 * The server's input rules, mirrored on the client: supabase/functions/_shared/validation.ts
 * (lengths in Unicode code points, trimmed; the customers_email_format rule), create-ticket
 * (subject 1–200, message 1–5000, name ≤ 100), add-message (≤ 10 attachments) and the
 * support-attachments bucket (50 MiB, its allowed_mime_types). Shared by loader and iframe.
 */

export const SUBJECT_MAX = 200
export const MESSAGE_MAX = 5000
export const NAME_MAX = 100
export const EMAIL_MAX = 320
export const ATTACHMENTS_MAX = 10
export const ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024

const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** Length as PostgreSQL's char_length counts it (code points, so an emoji is 1). */
export function charLength(value: string): number {
  let n = 0
  for (const _ of value) n++
  return n
}

export function isEmail(value: string): boolean {
  return charLength(value) <= EMAIL_MAX && EMAIL_RE.test(value)
}
