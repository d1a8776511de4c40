/**
 * One message of the conversation: who, when, text, attachments, and for the visitor's own
 * unconfirmed messages "Sending…" or "Not sent." with a Retry button (same client_id).
 */
import type { Attachment } from '../api/types'
import { useApp } from '../app-context'
import type { ChatMessage } from '../sync/merge'
import { AttachmentView } from './attachment-view'
import { pure } from './pure'

export interface MessageItemProps {
  message: ChatMessage
  attachments: Attachment[]
  onRetry(clientId: string): void
}

function time(iso: string): string {
  const d = new Date(iso.replace(' ', 'T'))
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

function MessageItemView({ message: m, attachments, onRetry }: MessageItemProps) {
  const { t } = useApp()
  const who = m.sender_type === 'customer' ? t.you : m.sender_type === 'admin' ? t.support : t.system
  return (
    <li class={`sd-message sd-from-${m.sender_type}` + (m.state ? ` sd-${m.state}` : '')}>
      <div class="sd-meta">
        <span class="sd-who">{who}</span> <time dateTime={m.created_at}>{time(m.created_at)}</time>
      </div>
      <p class="sd-text">{m.content}</p>
      {attachments.map((a) => (
        <AttachmentView key={a.id} attachment={a} />
      ))}
      {m.outgoing?.map((a) => (
        <div key={a.object_path} class="sd-attachment">
          {a.file_name}
        </div>
      ))}
      {m.state === 'sending' && <span class="sd-note">{t.sending}</span>}
      {m.state === 'failed' && (
        <span class="sd-note sd-error">
          {t.notSent} {m.failure}{' '}
          {m.retryable && m.client_id && (
            <button type="button" class="sd-link" onClick={() => onRetry(m.client_id!)}>
              {t.retry}
            </button>
          )}
        </span>
      )}
    </li>
  )
}

export const MessageItem = pure(MessageItemView)
