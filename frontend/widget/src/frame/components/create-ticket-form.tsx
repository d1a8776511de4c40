/**
 * CreateTicketForm — the "New ticket" tab.
 * Stable names (browser e2e): fields labelled "Subject", "Message", "Email", "Name"; submit "Create ticket";
 * "Attach file" adds files that are sent right after the ticket exists.
 * Rules mirror create-ticket (subject 1–200, message 1–5000, valid email, optional name ≤ 200); errors
 * appear inline after a field is left or on submit; server errors (validation_failed details, 429 with
 * Retry-After, network) are shown too. One client_id per ticket attempt, so a retried submit is idempotent.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Ref } from 'preact'
import { ApiError } from '../api/errors'
import type { CreateTicketResult } from '../api/types'
import { useApp } from '../app-context'
import type { Strings } from '../i18n'
import type { Identity } from '../../shared/protocol'
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_MAX } from '../../shared/rules'
import { uuid } from '../uuid'
import { attachmentType, validateTicket, type FieldErrors, type TicketField, type TicketForm } from '../validation'
import { AttachButton, FileChips } from './file-chips'
import { TextField } from './text-field'

export interface PickedFile {
  key: string
  file: File
  type: string | null
  error?: string
}

export interface CreateTicketFormProps {
  identity: Identity
  onCreated(result: CreateTicketResult, files: File[]): void
  firstFieldRef?: Ref<HTMLInputElement | HTMLTextAreaElement>
}

const FIELDS: TicketField[] = ['subject', 'message', 'email', 'name']
const LABELS: Record<TicketField, (t: Strings) => string> = {
  subject: (t) => t.subject,
  message: (t) => t.message,
  email: (t) => t.email,
  name: (t) => t.name,
}

/** Checks picked files against the bucket's rules; `already` = files accepted so far for this message. */
export function pickFiles(files: File[], t: Strings, already = 0): PickedFile[] {
  let count = already
  return files.map((file) => {
    const type = attachmentType(file)
    const error = !type
      ? t.fileType(file.name)
      : file.size > ATTACHMENT_MAX_BYTES
        ? t.fileTooLarge(file.name)
        : count >= ATTACHMENTS_MAX
          ? t.tooManyFiles(file.name, ATTACHMENTS_MAX)
          : undefined
    if (!error) count++
    return { key: uuid(), file, type, error }
  })
}

export function CreateTicketForm({ identity, onCreated, firstFieldRef }: CreateTicketFormProps) {
  const { t, functions } = useApp()
  const [form, setForm] = useState<TicketForm>({
    subject: '',
    message: '',
    email: identity.email ?? '',
    name: identity.name ?? '',
  })
  const [touched, setTouched] = useState<Partial<Record<TicketField, boolean>>>({})
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [files, setFiles] = useState<PickedFile[]>([])
  const clientId = useRef(uuid())
  const refs = useRef<Partial<Record<TicketField, HTMLInputElement | HTMLTextAreaElement | null>>>({})

  useEffect(() => {
    setForm((f) => ({ ...f, email: f.email || identity.email || '', name: f.name || identity.name || '' }))
  }, [identity.email, identity.name])

  const clientErrors = validateTicket(form, t)
  const errorFor = (field: TicketField): string | undefined =>
    serverErrors[field] ?? (touched[field] ? clientErrors[field] : undefined)

  const update = (field: TicketField) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }))
    if (serverErrors[field]) setServerErrors((e) => ({ ...e, [field]: undefined }))
  }

  const focusFirst = (errors: FieldErrors): void => {
    const field = FIELDS.find((f) => errors[f])
    if (field) refs.current[field]?.focus()
  }

  async function submit(e: Event): Promise<void> {
    e.preventDefault()
    if (submitting) return
    setTouched({ subject: true, message: true, email: true, name: true })
    setFormError(null)
    if (Object.keys(clientErrors).length > 0) {
      focusFirst(clientErrors)
      return
    }
    setSubmitting(true)
    try {
      const result = await functions.createTicket({
        subject: form.subject.trim(),
        message: form.message.trim(),
        email: form.email.trim(),
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
        client_id: clientId.current,
      })
      clientId.current = uuid()
      const toSend = files.filter((f) => !f.error).map((f) => f.file)
      setForm((f) => ({ ...f, subject: '', message: '' }))
      setTouched({})
      setFiles([])
      onCreated(result, toSend)
    } catch (error) {
      const err = error instanceof ApiError ? error : new ApiError(0, 'unexpected', String(error))
      const fields: FieldErrors = {}
      for (const f of FIELDS) if (err.fields[f]) fields[f] = t.serverField(LABELS[f](t), err.fields[f])
      if (Object.keys(fields).length > 0) {
        setServerErrors(fields)
        focusFirst(fields)
      }
      if (err.status === 429) setFormError(t.rateLimited(err.retryAfter))
      else if (err.status === 0) setFormError(t.network)
      else if (Object.keys(fields).length === 0 || err.code !== 'validation_failed') setFormError(err.message)
    } finally {
      setSubmitting(false)
    }
  }

  const field = (name: TicketField) => ({
    id: 'sd-' + name,
    value: form[name],
    onInput: update(name),
    onBlur: () => setTouched((x) => (x[name] ? x : { ...x, [name]: true })),
    error: errorFor(name),
    inputRef: (el: HTMLInputElement | HTMLTextAreaElement | null) => {
      refs.current[name] = el
      if (name === 'subject' && firstFieldRef) {
        if (typeof firstFieldRef === 'function') firstFieldRef(el)
        else firstFieldRef.current = el
      }
    },
  })

  return (
    <form class="sd-form" noValidate onSubmit={submit} aria-busy={submitting}>
      <TextField {...field('subject')} label={t.subject} required autoComplete="off" />
      <TextField {...field('message')} label={t.message} required multiline />
      <TextField {...field('email')} label={t.email} type="email" required autoComplete="email" hint={t.emailHint} />
      <TextField {...field('name')} label={t.name} autoComplete="name" hint={t.optional} />
      <FileChips
        t={t}
        files={files.map((f) => ({ key: f.key, name: f.file.name, error: f.error }))}
        onRemove={(key) => setFiles((fs) => fs.filter((f) => f.key !== key))}
      />
      {formError && (
        <div role="alert" class="sd-alert">
          {formError}
        </div>
      )}
      <div class="sd-actions">
        <AttachButton t={t} disabled={submitting} onFiles={(picked) => setFiles((fs) => [...fs, ...pickFiles(picked, t, fs.filter((f) => !f.error).length)])} />
        <button type="submit" class="sd-primary" aria-disabled={submitting ? "true" : undefined}>
          {submitting && <span class="sd-spinner" aria-hidden="true" />}
          {t.createTicket}
        </button>
      </div>
    </form>
  )
}
