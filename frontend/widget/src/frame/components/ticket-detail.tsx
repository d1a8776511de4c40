/**
 * TicketDetail — one ticket's conversation.
 * Stable names (browser e2e): button "Back to my tickets"; heading "#<number> <subject>"; the status
 * as plain text (open | pending | resolved | closed); log "Conversation"; "Support is typing…" while an
 * agent types; MessageInput ("Type your message", "Send", "Attach file").
 * Marks the ticket read while it is on screen; keeps the newest message in view.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks'
import type { Attachment, Ticket } from '../api/types'
import { useApp } from '../app-context'
import type { ConversationStore, ThreadState } from '../sync/store'
import { MessageInput } from './message-input'
import { MessageItem } from './message-item'

export interface TicketDetailProps {
  ticket: Ticket
  thread: ThreadState | undefined
  typing: boolean
  store: ConversationStore
  /** Panel open and page visible: messages count as read. */
  visible: boolean
  initialFiles?: File[]
  onInitialFilesTaken?(): void
  onBack(): void
}

const NO_ATTACHMENTS: Attachment[] = []

export function TicketDetail(props: TicketDetailProps) {
  const { ticket, thread, typing, store, visible, initialFiles, onInitialFilesTaken, onBack } = props
  const { t } = useApp()
  const heading = useRef<HTMLHeadingElement>(null)
  const log = useRef<HTMLDivElement>(null)
  const messages = thread?.messages ?? []

  useLayoutEffect(() => heading.current?.focus(), [ticket.id])
  useEffect(() => {
    void store.openThread(ticket.id)
    return () => store.closeThread(ticket.id)
  }, [ticket.id])

  useEffect(() => {
    if (visible) store.markRead(ticket.id)
  }, [visible, thread?.cursor, ticket.id])

  useLayoutEffect(() => {
    const el = log.current
    if (el) el.scrollTop = el.scrollHeight
  }, [messages.length, typing])

  const byMessage = useMemo(() => {
    const map = new Map<string, Attachment[]>()
    for (const a of thread?.attachments ?? []) {
      if (a.message_id) map.set(a.message_id, [...(map.get(a.message_id) ?? []), a])
    }
    return map
  }, [thread?.attachments])

  const retry = useCallback((clientId: string) => void store.retry(ticket.id, clientId), [ticket.id])
  const send = useCallback(
    (content: string, refs: Parameters<ConversationStore['send']>[2]) => void store.send(ticket.id, content, refs),
    [ticket.id],
  )
  const onTyping = useCallback((on: boolean) => store.setTyping(ticket.id, on), [ticket.id])

  return (
    <section class="sd-detail" aria-labelledby="sd-detail-title">
      <div class="sd-detail-head">
        <button type="button" class="sd-link sd-back" onClick={onBack}>
          ← {t.back}
        </button>
        <h2 id="sd-detail-title" class="sd-detail-title" tabIndex={-1} ref={heading}>
          #{ticket.number} {ticket.subject}
        </h2>
        <p class="sd-detail-status">
          {t.statusLabel}: <span class={`sd-status sd-status-${ticket.status}`}>{t.status[ticket.status] ?? ticket.status}</span>
        </p>
      </div>
      <div class="sd-log" role="log" aria-label={t.conversation} ref={log} tabIndex={0}>
        {thread?.loading && messages.length === 0 && <p class="sd-note">{t.loadingConversation}</p>}
        {thread?.error && (
          <p role="alert" class="sd-alert">
            {thread.error}
          </p>
        )}
        <ol class="sd-messages">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} attachments={byMessage.get(m.id) ?? NO_ATTACHMENTS} onRetry={retry} />
          ))}
        </ol>
      </div>
      <p class="sd-typing" aria-live="polite">
        {typing && t.typing}
      </p>
      {ticket.status === 'closed' ? (
        <p class="sd-note sd-closed">{t.closedTicket}</p>
      ) : (
        <MessageInput
          ticketId={ticket.id}
          onSend={send}
          onTyping={onTyping}
          initialFiles={initialFiles}
          onInitialFilesTaken={onInitialFilesTaken}
        />
      )}
    </section>
  )
}
