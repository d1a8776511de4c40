/**
 * The server's input rules, mirrored on the client (create-ticket / add-message edge functions and the
 * table constraints in docs/architecture.md). Shared by the loader (`identify`) and the iframe forms.
 */

export const SUBJECT_MAX = 200
export const MESSAGE_MAX = 5000
export const NAME_MAX = 200
export const EMAIL_MAX = 254
export const ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/

export function isEmail(value: string): boolean {
  return value.length <= EMAIL_MAX && EMAIL_RE.test(value)
}
