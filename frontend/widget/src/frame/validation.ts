/**
 * Client-side mirror of create-ticket's rules, with the messages shown inline under each field.
 * Hand-written instead of zod: the whole first-open budget of the widget is 50 KB gzipped.
 */
import { charLength, isEmail, MESSAGE_MAX, NAME_MAX, SUBJECT_MAX } from '../shared/rules'
import type { Strings } from './i18n'

export interface TicketForm {
  subject: string
  message: string
  email: string
  name: string
}

export type TicketField = keyof TicketForm
export type FieldErrors = Partial<Record<TicketField, string>>

function text(value: string, label: string, max: number, t: Strings, required = true): string | undefined {
  const v = value.trim()
  if (!v) return required ? t.required(label) : undefined
  const length = charLength(v)
  if (length > max) return t.tooLong(max, length)
  return undefined
}

export function validateTicket(form: TicketForm, t: Strings): FieldErrors {
  const errors: FieldErrors = {}
  const subject = text(form.subject, t.subject, SUBJECT_MAX, t)
  const message = text(form.message, t.message, MESSAGE_MAX, t)
  const email = form.email.trim() ? (isEmail(form.email.trim()) ? undefined : t.badEmail) : t.required(t.email)
  const name = text(form.name, t.name, NAME_MAX, t, false)
  if (subject) errors.subject = subject
  if (message) errors.message = message
  if (email) errors.email = email
  if (name) errors.name = name
  return errors
}

export function validateMessage(content: string, t: Strings): string | undefined {
  return text(content, t.message, MESSAGE_MAX, t)
}

/** The support-attachments bucket's allowed_mime_types (supabase/migrations/*_attachments.sql). */
const ALLOWED = new Set([
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
])
/** For files the browser gives no type (or a non-canonical one) — keyed by extension. */
const BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', pdf: 'application/pdf',
  doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  zip: 'application/zip', gz: 'application/gzip', '7z': 'application/x-7z-compressed',
  txt: 'text/plain', log: 'text/plain', csv: 'text/csv',
}

/** The MIME type to declare for a file, or null when the server would refuse it. */
export function attachmentType(file: { name: string; type: string }): string | null {
  const declared = file.type.split(';')[0].trim().toLowerCase()
  if (ALLOWED.has(declared)) return declared
  const byName = BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? '']
  // Windows reports zip as application/x-zip-compressed, some browsers gzip as application/x-gzip.
  return byName && (!declared || /zip|gzip|octet-stream/.test(declared)) ? byName : null
}
