/**
 * A labelled input or textarea with an optional hint and an inline error. The error is tied to the
 * control with aria-describedby and aria-invalid; font-size stays 16 px (no iOS zoom).
 */
import type { Ref } from 'preact'

export interface TextFieldProps {
  id: string
  label: string
  value: string
  onInput(value: string): void
  onBlur?(): void
  error?: string
  hint?: string
  multiline?: boolean
  type?: 'text' | 'email'
  autoComplete?: string
  required?: boolean
  inputRef?: Ref<HTMLInputElement | HTMLTextAreaElement>
}

export function TextField(props: TextFieldProps) {
  const { id, label, value, error, hint, multiline } = props
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
  const shared = {
    id,
    name: id,
    value,
    class: 'sd-input',
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    'aria-required': props.required ? ('true' as const) : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
    onBlur: props.onBlur,
  }
  return (
    <div class={'sd-field' + (error ? ' sd-field-invalid' : '')}>
      <label for={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} class="sd-hint">
          {hint}
        </span>
      )}
      {multiline ? (
        <textarea {...shared} rows={4} ref={props.inputRef as Ref<HTMLTextAreaElement>} />
      ) : (
        <input
          {...shared}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          ref={props.inputRef as Ref<HTMLInputElement>}
        />
      )}
      {error && (
        <span id={`${id}-error`} class="sd-error">
          {error}
        </span>
      )}
    </div>
  )
}
