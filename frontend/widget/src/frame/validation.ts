/**
 * Client-side mirror of create-ticket's rules, with the messages shown inline under each field.
 * Hand-written instead of zod: the whole first-open budget of the widget is 50 KB gzipped.
 */
import { isEmail, MESSAGE_MAX, NAME_MAX, SUBJECT_MAX } from '../shared/rules'
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
  if (v.length > max) return t.tooLong(max, v.length)
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

/** MIME types the server accepts (images, video, PDF, office documents, archives, text). */
const ALLOWED = [
  /^image\//,
  /^video\//,
  /^text\//,
  /^application\/pdf$/,
  /^application\/(msword|rtf|vnd\.ms-(excel|powerpoint)|vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.)/,
  /^application\/(zip|x-zip-compressed|gzip|x-gzip|x-tar|x-7z-compressed|vnd\.rar|x-rar-compressed)$/,
  /^application\/json$/,
]
const BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', pdf: 'application/pdf', txt: 'text/plain',
  csv: 'text/csv', md: 'text/markdown', log: 'text/plain', json: 'application/json', zip: 'application/zip',
  gz: 'application/gzip', tar: 'application/x-tar', '7z': 'application/x-7z-compressed', rar: 'application/vnd.rar',
  doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
}

/** The MIME type to declare for a file (browser's, else by extension), or null when not allowed. */
export function attachmentType(file: { name: string; type: string }): string | null {
  const type = file.type || BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || ''
  return ALLOWED.some((re) => re.test(type)) ? type : null
}
