/**
 * The files picked for the next message (or the new ticket): name, upload progress, error, remove.
 */
import type { Strings } from '../i18n'

export interface FileChip {
  key: string
  name: string
  /** 0..1 while uploading; undefined when not uploading. */
  progress?: number
  error?: string
}

export function FileChips({ files, onRemove, t }: { files: FileChip[]; onRemove(key: string): void; t: Strings }) {
  if (files.length === 0) return null
  return (
    <ul class="sd-chips" aria-label={t.attachments}>
      {files.map((f) => (
        <li key={f.key} class={'sd-chip' + (f.error ? ' sd-chip-error' : '')}>
          <span class="sd-chip-name">{f.name}</span>
          {f.progress !== undefined && !f.error && (
            <progress
              class="sd-progress"
              max={100}
              value={Math.round(f.progress * 100)}
              aria-label={t.uploading(f.name)}
            />
          )}
          {f.error && <span class="sd-error">{f.error}</span>}
          <button type="button" class="sd-icon-button" aria-label={t.remove(f.name)} onClick={() => onRemove(f.key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  )
}

/** The "Attach file" button with its hidden file input (the input is what Playwright's setInputFiles targets). */
export function AttachButton({ onFiles, disabled, t }: { onFiles(files: File[]): void; disabled?: boolean; t: Strings }) {
  let input: HTMLInputElement | null = null
  return (
    <>
      <button
        type="button"
        class="sd-icon-button sd-attach"
        aria-label={t.attach}
        title={t.attach}
        disabled={disabled}
        onClick={() => input?.click()}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5" />
        </svg>
      </button>
      <input
        ref={(el) => {
          input = el
        }}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(e) => {
          const el = e.currentTarget
          onFiles(Array.from(el.files ?? []))
          el.value = ''
        }}
      />
    </>
  )
}
