/**
 * TicketList — all of this visitor's tickets, most recent activity first: number, subject, status
 * (plain text: open | pending | resolved | closed), last message and the unread count.
 * Each row is a button named after the ticket ("#12 Printer on fire …").
 */
import { useEffect, useRef } from 'preact/hooks'
import type { Ticket } from '../api/types'
import { useApp } from '../app-context'
import { countUnread, type ChatMessage, type Cursor } from '../sync/merge'
import { pure } from './pure'

interface RowProps {
  ticket: Ticket
  last: ChatMessage | undefined
  unread: number
  focus: boolean
  onOpen(id: string): void
}

function TicketRowView({ ticket, last, unread, focus, onOpen }: RowProps) {
  const { t } = useApp()
  const ref = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (focus) ref.current?.focus()
  }, [focus])
  const who = last ? (last.sender_type === 'customer' ? t.you : last.sender_type === 'admin' ? t.support : t.system) : ''
  return (
    <li>
      <button type="button" class="sd-ticket" ref={ref} onClick={() => onOpen(ticket.id)}>
        <span class="sd-ticket-top">
          <span class="sd-ticket-subject">
            #{ticket.number} {ticket.subject}
          </span>
          <span class={`sd-status sd-status-${ticket.status}`}>{t.status[ticket.status] ?? ticket.status}</span>
        </span>
        {last && (
          <span class="sd-ticket-last">
            {who}: {last.content.slice(0, 120)}
          </span>
        )}
        {unread > 0 && <span class="sd-unread">{t.unread(unread)}</span>}
      </button>
    </li>
  )
}

const TicketRow = pure(TicketRowView)

export interface TicketListProps {
  tickets: Ticket[]
  messagesOf(ticketId: string): ChatMessage[]
  lastRead: Readonly<Record<string, Cursor>>
  loading: boolean
  error: string | null
  focusId: string | null
  onOpen(id: string): void
  onNew(): void
}

export function TicketList({ tickets, messagesOf, lastRead, loading, error, focusId, onOpen, onNew }: TicketListProps) {
  const { t } = useApp()
  if (error && tickets.length === 0)
    return (
      <p role="alert" class="sd-alert">
        {error}
      </p>
    )
  if (loading && tickets.length === 0) return <p class="sd-note">{t.loadingTickets}</p>
  if (tickets.length === 0)
    return (
      <div class="sd-empty">
        <p>{t.noTickets}</p>
        <button type="button" class="sd-primary" onClick={onNew}>
          {t.startTicket}
        </button>
      </div>
    )
  return (
    <ul class="sd-tickets" aria-label={t.myTickets}>
      {tickets.map((ticket) => {
        const messages = messagesOf(ticket.id)
        return (
          <TicketRow
            key={ticket.id}
            ticket={ticket}
            last={messages[messages.length - 1]}
            unread={countUnread(messages, lastRead[ticket.id] ?? null)}
            focus={focusId === ticket.id}
            onOpen={onOpen}
          />
        )
      })}
    </ul>
  )
}
