/** In-memory stand-ins for the server (tables), realtime and the add-message function. */
import { vi } from 'vitest'
import type { KeyValueStorage } from '../src/frame/api/storage'
import type { AddMessageInput, Attachment, Message, Ticket } from '../src/frame/api/types'
import type { DataApi, LiveApi } from '../src/frame/sync/store'
import { timeKey } from '../src/frame/sync/time'

export function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>()
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  }
}

let clock = Date.UTC(2026, 0, 2, 3, 0, 0) * 1000
/** Monotonic server timestamps with microseconds. */
export function serverTime(): string {
  clock += 1234
  const ms = Math.floor(clock / 1000)
  const micro = String(clock % 1000000).padStart(6, '0')
  return new Date(ms).toISOString().replace(/\.\d+Z$/, `.${micro}+00:00`)
}

export function ticket(id: string, over: Partial<Ticket> = {}): Ticket {
  return { id, number: Number(id.replace(/\D/g, '')) || 1, subject: `Subject ${id}`, status: 'open', created_at: serverTime(), ...over }
}

export class FakeServer implements DataApi {
  tickets_: Ticket[] = []
  messages: Message[] = []
  attachmentRows: Attachment[] = []
  calls: { name: string; args: unknown[] }[] = []
  failNext = 0
  private seq = 0

  message(ticketId: string, over: Partial<Message> = {}): Message {
    this.seq += 1
    const m: Message = {
      id: `srv-${this.seq}`,
      ticket_id: ticketId,
      sender_type: 'admin',
      sender_id: 'agent-1',
      content: `reply ${this.seq}`,
      client_id: null,
      created_at: serverTime(),
      ...over,
    }
    this.messages.push(m)
    return m
  }

  private async answer<T>(name: string, args: unknown[], value: () => T): Promise<T> {
    this.calls.push({ name, args })
    await Promise.resolve()
    if (this.failNext > 0) {
      this.failNext -= 1
      throw new Error('offline')
    }
    return value()
  }

  tickets() {
    return this.answer('tickets', [], () => this.tickets_.map((t) => ({ ...t })))
  }
  recentMessages(ids: string[]) {
    return this.answer('recentMessages', [ids], () => this.messages.filter((m) => ids.includes(m.ticket_id)).map((m) => ({ ...m })))
  }
  messagesSince(ticketId: string, since: string | null) {
    return this.answer('messagesSince', [ticketId, since], () =>
      this.messages
        .filter((m) => m.ticket_id === ticketId && (since === null || timeKey(m.created_at) >= timeKey(since)))
        .map((m) => ({ ...m })),
    )
  }
  attachments(ticketId: string) {
    return this.answer('attachments', [ticketId], () => this.attachmentRows.filter((a) => a.ticket_id === ticketId))
  }

  /** add-message: idempotent by (ticket, client_id); 409 on a closed ticket. */
  addMessage = vi.fn(async (input: AddMessageInput) => {
    await Promise.resolve()
    const t = this.tickets_.find((x) => x.id === input.ticket_id)
    if (t?.status === 'closed') {
      const { ApiError } = await import('../src/frame/api/errors')
      throw new ApiError(409, 'ticket_closed', 'Ticket is closed')
    }
    const existing = this.messages.find((m) => m.ticket_id === input.ticket_id && m.client_id === input.client_id)
    const message = existing ?? this.message(input.ticket_id, { sender_type: 'customer', content: input.content, client_id: input.client_id })
    return { message: { ...message }, attachments: [] }
  })
}

export class FakeLive implements LiveApi {
  handlers: Parameters<LiveApi['subscribeChanges']>[0] | null = null
  typing = new Map<string, (p: { sender_type?: unknown; typing?: unknown }) => void>()
  sent: { ticketId: string; typing: boolean }[] = []
  agents: ((online: boolean) => void) | null = null
  reconnects = 0

  subscribeChanges(handlers: Parameters<LiveApi['subscribeChanges']>[0]) {
    this.handlers = handlers
    return () => {
      this.handlers = null
    }
  }
  joinTicket(ticketId: string, onTyping: (p: { sender_type?: unknown; typing?: unknown }) => void) {
    this.typing.set(ticketId, onTyping)
    return {
      sendTyping: (typing: boolean) => void this.sent.push({ ticketId, typing }),
      leave: () => void this.typing.delete(ticketId),
    }
  }
  watchAgents(onChange: (online: boolean) => void) {
    this.agents = onChange
    return () => {
      this.agents = null
    }
  }
  reconnect() {
    this.reconnects += 1
  }
  joined = false
  isLive() {
    return this.joined
  }
  status(s: string) {
    this.joined = s === 'SUBSCRIBED'
    this.handlers!.status(s)
  }
  insert(m: Message) {
    this.handlers!.message({ ...m })
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
}

/** XMLHttpRequest stand-in: records the request; tests drive progress and completion. */
export class FakeXHR {
  static all: FakeXHR[] = []
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: unknown
  status = 0
  statusText = ''
  responseText = ''
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXHR.all.push(this)
  }
  static get last(): FakeXHR {
    return FakeXHR.all[FakeXHR.all.length - 1]
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  send(body: unknown) {
    this.body = body
  }
  abort() {
    this.onabort?.()
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent)
  }
  respond(status: number, responseText = '') {
    this.status = status
    this.responseText = responseText
    this.onload?.()
  }
}
