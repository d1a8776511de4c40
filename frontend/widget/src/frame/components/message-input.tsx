/**
 * MessageInput — the reply box of TicketDetail.
 * Stable names (browser e2e): textbox "Type your message", buttons "Send" and "Attach file";
 * upload progress bars are labelled "Uploading <file name>".
 * Enter sends, Shift+Enter adds a line. Files upload as soon as they are picked; Send waits for them.
 * Typing notifications go out at most every 2 s while typing, and "stopped" after 3 s idle or on send.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { AttachmentRef } from '../api/types'
import { useApp } from '../app-context'
import { useUploads } from '../hooks/use-uploads'
import { validateMessage } from '../validation'
import { AttachButton, FileChips } from './file-chips'

export interface MessageInputProps {
  ticketId: string
  onSend(content: string, attachments: AttachmentRef[]): void
  onTyping(typing: boolean): void
  /** Files picked in the new-ticket form: uploaded and sent as soon as they are ready. */
  initialFiles?: File[]
  onInitialFilesTaken?(): void
}

const TYPING_EVERY_MS = 2000
const TYPING_IDLE_MS = 3000

export function MessageInput({ ticketId, onSend, onTyping, initialFiles, onInitialFilesTaken }: MessageInputProps) {
  const { t } = useApp()
  const [content, setContent] = useState('')
  const [error, setError] = useState<string | undefined>()
  const uploads = useUploads(ticketId)
  const autoSend = useRef(false)
  const typingSent = useRef(0)
  const idleTimer = useRef<ReturnType<typeof setTimeout>>()
  const box = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (initialFiles?.length) {
      autoSend.current = true
      uploads.add(initialFiles)
      onInitialFilesTaken?.()
    }
  }, [initialFiles])

  const stopTyping = (): void => {
    clearTimeout(idleTimer.current)
    if (typingSent.current) onTyping(false)
    typingSent.current = 0
  }
  useEffect(() => stopTyping, [])

  function send(): void {
    if (uploads.busy) return
    const text = content.trim()
    // With files and no words the server writes the text itself ("📎 <file names>").
    const problem = text || uploads.refs.length === 0 ? validateMessage(text, t) : undefined
    if (problem) {
      setError(problem)
      box.current?.focus()
      return
    }
    onSend(text, uploads.refs)
    setContent('')
    setError(undefined)
    uploads.clear()
    stopTyping()
    box.current?.focus()
  }

  // Files from the new-ticket form are sent on their own once every upload has settled.
  useEffect(() => {
    if (!autoSend.current || uploads.busy || uploads.items.length === 0) return
    autoSend.current = false
    if (uploads.refs.length > 0 && uploads.items.every((u) => u.state === 'done')) send()
  }, [uploads.busy, uploads.items.length])

  function onInput(value: string): void {
    setContent(value)
    if (error) setError(undefined)
    const now = Date.now()
    if (value && now - typingSent.current > TYPING_EVERY_MS) {
      onTyping(true)
      typingSent.current = now
    }
    clearTimeout(idleTimer.current)
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS)
  }

  return (
    <form
      class="sd-composer"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        send()
      }}
    >
      <FileChips
        t={t}
        files={uploads.items.map((u) => ({
          key: u.key,
          name: u.name,
          progress: u.state === 'uploading' ? u.progress : undefined,
          error: u.error,
        }))}
        onRemove={uploads.remove}
      />
      {error && (
        <span id="sd-reply-error" class="sd-error">
          {error}
        </span>
      )}
      <div class="sd-composer-row">
        <AttachButton t={t} onFiles={uploads.add} />
        <label for="sd-reply" class="sd-sr">
          {t.typeMessage}
        </label>
        <textarea
          id="sd-reply"
          ref={box}
          class="sd-input sd-reply"
          rows={1}
          placeholder={t.typeMessage}
          value={content}
          enterkeyhint="send"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'sd-reply-error' : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
          onBlur={stopTyping}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault()
              send()
            }
          }}
        />
        <button type="submit" class="sd-primary sd-send" aria-disabled={uploads.busy ? 'true' : undefined}>
          {t.send}
        </button>
      </div>
    </form>
  )
}
