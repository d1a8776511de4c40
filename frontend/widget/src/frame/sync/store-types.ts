/** Contracts of the conversation store: what it needs (DataApi, LiveApi) and what it offers. */
import type { FunctionsApi } from '../api/functions'
import type { KeyValueStorage } from '../api/storage'
import type { Attachment, AttachmentRef, Message, Ticket } from '../api/types'
import type { ChatMessage, Cursor } from './merge'

export interface DataApi {
  tickets(): Promise<Ticket[]>
  recentMessages(ticketIds: string[]): Promise<Message[]>
  messagesSince(ticketId: string, since: string | null): Promise<Message[]>
  attachments(ticketId: string): Promise<Attachment[]>
}

export interface TicketChannel {
  sendTyping(typing: boolean): void
  leave(): void
}

export interface LiveApi {
  subscribeChanges(handlers: {
    message(m: Message): void
    ticket(t: Partial<Ticket> & { id: string }): void
    status(status: string): void
  }): () => void
  joinTicket(ticketId: string, onTyping: (payload: { sender_type?: unknown; typing?: unknown }) => void): TicketChannel
  watchAgents(onChange: (online: boolean) => void): () => void
  reconnect(): void
  /** The changes channel is joined over an open socket (it may have survived a network blip). */
  isLive(): boolean
}

export interface ThreadState {
  messages: ChatMessage[]
  cursor: Cursor | null
  attachments: Attachment[]
  /** Full history loaded (not just the recent window used for the list). */
  complete: boolean
  loading: boolean
  error: string | null
}

export type LiveState = 'connecting' | 'live' | 'paused'

export interface StoreState {
  tickets: Ticket[]
  ticketsLoaded: boolean
  error: string | null
  threads: Readonly<Record<string, ThreadState>>
  live: LiveState
  agentsOnline: boolean | null
  typing: Readonly<Record<string, boolean>>
  lastRead: Readonly<Record<string, Cursor>>
}

export interface StoreOptions {
  data: DataApi
  live: LiveApi
  send: Pick<FunctionsApi, 'addMessage'>
  storage: KeyValueStorage
  uuid: () => string
  now?: () => Date
  /** Extra catch-up window for rows committed out of created_at order. */
  lookbackMs?: number
  /** Called once per support message first seen after the initial load (host `supadesk:message`). */
  onIncoming?: (m: Message) => void
  retryDelayMs?: number
}

export interface ConversationStore {
  get(): StoreState
  subscribe(listener: () => void): () => void
  start(): Promise<void>
  stop(): void
  catchUp(): Promise<void>
  /** Tab visible again / network back: reconnect the socket and fetch what was missed. */
  resume(): void
  /** Network went away. */
  pause(): void
  addTicket(ticket: Ticket, message: Message): void
  openThread(ticketId: string): Promise<void>
  closeThread(ticketId: string): void
  send(ticketId: string, content: string, outgoing?: AttachmentRef[]): Promise<void>
  retry(ticketId: string, clientId: string): Promise<void>
  markRead(ticketId: string): void
  setTyping(ticketId: string, typing: boolean): void
  refreshAttachments(ticketId: string): Promise<void>
}
