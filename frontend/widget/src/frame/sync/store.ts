/**
 * The visitor's conversations, kept complete across disconnects (the product's main promise).
 *
 * - One realtime channel carries `messages` INSERTs and `tickets` UPDATEs (RLS filters them).
 * - Each ticket keeps a cursor (created_at, id) of the newest confirmed message seen. Whenever the
 *   channel is (re)SUBSCRIBED, the tab becomes visible or the network comes back, `catchUp()` asks
 *   for `messages?ticket_id=eq.X&created_at=gte.<cursor>&order=created_at.asc,id.asc` and merges,
 *   de-duplicated by id (see merge.ts).
 * - Sends are optimistic with `client_id`; a retry reuses it, so the server returns the same row.
 * - `live` is 'paused' while the channel is not SUBSCRIBED (the UI shows a banner).
 * Network access goes through the injected DataApi / LiveApi / send function, so tests drive it with fakes.
 */
import { ApiError } from '../api/errors'
import type { KeyValueStorage } from '../api/storage'
import type { Attachment, Message, Ticket } from '../api/types'
import { advanceCursor, catchUpSince, compareCursor, mergeMessages, optimisticMessage, type ChatMessage, type Cursor } from './merge'
import type { ConversationStore, StoreOptions, StoreState, ThreadState, TicketChannel } from './store-types'

export type * from './store-types'
export { sortTickets, totalUnread } from './selectors'

const READ_KEY = 'supadesk.read'
const TYPING_TTL_MS = 6000

const emptyThread = (): ThreadState => ({
  messages: [],
  cursor: null,
  attachments: [],
  complete: false,
  loading: false,
  error: null,
})

function readLastRead(storage: KeyValueStorage): Record<string, Cursor> {
  try {
    const parsed = JSON.parse(storage.getItem(READ_KEY) || '{}') as Record<string, Cursor>
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    return {}
  }
}

export function createStore(opts: StoreOptions): ConversationStore {
  const { data, live, storage } = opts
  const now = opts.now ?? (() => new Date())
  const lookbackMs = opts.lookbackMs ?? 1000
  let state: StoreState = {
    tickets: [],
    ticketsLoaded: false,
    error: null,
    threads: {},
    live: 'connecting',
    agentsOnline: null,
    typing: {},
    lastRead: readLastRead(storage),
  }
  const listeners = new Set<() => void>()
  const channels = new Map<string, TicketChannel>()
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>()
  const attachmentTimers = new Map<string, ReturnType<typeof setTimeout>>()
  const cleanups: (() => void)[] = []
  let initialLoad: Promise<void> | null = null
  let initialDone = false
  let catching: Promise<void> | null = null
  let catchAgain = false
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  function set(patch: Partial<StoreState>): void {
    state = { ...state, ...patch }
    listeners.forEach((l) => l())
  }

  function setThread(ticketId: string, patch: Partial<ThreadState>): void {
    const thread = { ...(state.threads[ticketId] ?? emptyThread()), ...patch }
    set({ threads: { ...state.threads, [ticketId]: thread } })
  }

  function mergeTickets(incoming: readonly (Partial<Ticket> & { id: string })[]): void {
    if (incoming.length === 0) return
    const tickets = state.tickets.slice()
    for (const t of incoming) {
      const at = tickets.findIndex((x) => x.id === t.id)
      if (at < 0) tickets.push(t as Ticket)
      else tickets[at] = { ...tickets[at], ...t }
    }
    set({ tickets })
  }

  /** Merges messages into their threads; returns true when the list changed. */
  function mergeInto(ticketId: string, incoming: readonly ChatMessage[], patch: Partial<ThreadState> = {}): boolean {
    const thread = state.threads[ticketId] ?? emptyThread()
    const messages = mergeMessages(thread.messages, incoming)
    const cursor = advanceCursor(thread.cursor, incoming)
    const changed = messages !== thread.messages
    if (changed || cursor !== thread.cursor || Object.keys(patch).length > 0) {
      if (changed && initialDone && opts.onIncoming) {
        const known = new Set(thread.messages.map((m) => m.id))
        for (const m of incoming) if (m.sender_type === 'admin' && !m.state && !known.has(m.id)) opts.onIncoming(m)
      }
      setThread(ticketId, { ...patch, messages, cursor })
      if (changed && channels.has(ticketId) && incoming.some((m) => !m.state)) scheduleAttachments(ticketId)
    }
    return changed
  }

  function scheduleAttachments(ticketId: string): void {
    clearTimeout(attachmentTimers.get(ticketId))
    attachmentTimers.set(
      ticketId,
      setTimeout(() => void refreshAttachments(ticketId).catch(() => undefined), 400),
    )
  }

  async function refreshAttachments(ticketId: string): Promise<void> {
    const attachments = await data.attachments(ticketId)
    setThread(ticketId, { attachments })
  }

  function addAttachments(ticketId: string, added: readonly Attachment[]): void {
    if (added.length === 0) return
    const current = state.threads[ticketId]?.attachments ?? []
    const ids = new Set(current.map((a) => a.id))
    setThread(ticketId, { attachments: [...current, ...added.filter((a) => !ids.has(a.id))] })
  }

  function groupByTicket(messages: readonly Message[]): Map<string, Message[]> {
    const groups = new Map<string, Message[]>()
    for (const m of messages) groups.set(m.ticket_id, [...(groups.get(m.ticket_id) ?? []), m])
    return groups
  }

  async function loadInitial(): Promise<void> {
    try {
      const tickets = await data.tickets()
      mergeTickets(tickets)
      const recent = tickets.length ? await data.recentMessages(tickets.map((t) => t.id)) : []
      for (const [ticketId, messages] of groupByTicket(recent)) mergeInto(ticketId, messages)
      set({ ticketsLoaded: true, error: null })
    } catch (error) {
      set({ error: (error as Error).message || 'Could not load your tickets' })
      throw error
    } finally {
      initialDone = true
    }
  }

  async function catchUpOnce(): Promise<void> {
    if (initialLoad) await initialLoad.catch(() => undefined)
    const closedBefore = new Set(state.tickets.filter((t) => t.status === 'closed').map((t) => t.id))
    mergeTickets(await data.tickets())
    set({ ticketsLoaded: true, error: null })
    await Promise.all(
      state.tickets
        .filter((t) => !closedBefore.has(t.id))
        .map(async (t) => {
          const thread = state.threads[t.id]
          const since = catchUpSince(thread?.cursor ?? null, lookbackMs)
          const messages = await data.messagesSince(t.id, since)
          mergeInto(t.id, messages, since === null ? { complete: true } : {})
        }),
    )
  }

  function catchUp(): Promise<void> {
    if (stopped) return Promise.resolve()
    if (catching) {
      catchAgain = true
      return catching
    }
    catching = (async () => {
      try {
        do {
          catchAgain = false
          await catchUpOnce()
        } while (catchAgain && !stopped)
        if (retryTimer) clearTimeout(retryTimer)
        retryTimer = null
      } catch {
        // Keep the gap closed eventually: try again until it works or a trigger beats us to it.
        if (!stopped && !retryTimer)
          retryTimer = setTimeout(() => {
            retryTimer = null
            void catchUp()
          }, opts.retryDelayMs ?? 3000)
      } finally {
        catching = null
      }
    })()
    return catching
  }

  function onTyping(ticketId: string, payload: { sender_type?: unknown; typing?: unknown }): void {
    if (payload.sender_type !== 'admin') return
    clearTimeout(typingTimers.get(ticketId))
    const typing = payload.typing === true
    if (typing) typingTimers.set(ticketId, setTimeout(() => onTyping(ticketId, { sender_type: 'admin', typing: false }), TYPING_TTL_MS))
    if (Boolean(state.typing[ticketId]) !== typing) set({ typing: { ...state.typing, [ticketId]: typing } })
  }

  async function deliver(ticketId: string, m: ChatMessage): Promise<void> {
    try {
      const result = await opts.send.addMessage({
        ticket_id: ticketId,
        content: m.content,
        client_id: m.client_id!,
        ...(m.outgoing?.length ? { attachments: m.outgoing } : {}),
      })
      mergeInto(ticketId, [result.message])
      addAttachments(ticketId, result.attachments ?? [])
    } catch (error) {
      const err = error instanceof ApiError ? error : new ApiError(0, 'unexpected', (error as Error).message)
      mergeInto(ticketId, [{ ...m, state: 'failed', failure: err.message, retryable: err.retryable }])
      if (err.code === 'ticket_closed') mergeTickets([{ id: ticketId, status: 'closed' }])
    }
  }

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async start() {
      stopped = false
      cleanups.push(
        live.subscribeChanges({
          message: (m) => {
            if (!state.tickets.some((t) => t.id === m.ticket_id)) void catchUp()
            mergeInto(m.ticket_id, [m])
          },
          ticket: (t) => mergeTickets([t]),
          status: (s) => {
            if (s === 'SUBSCRIBED') {
              set({ live: 'live' })
              void catchUp()
            } else if (state.live !== 'paused') set({ live: 'paused' })
          },
        }),
        live.watchAgents((online) => set({ agentsOnline: online })),
      )
      initialLoad = loadInitial()
      await initialLoad
    },
    stop() {
      stopped = true
      cleanups.splice(0).forEach((c) => c())
      channels.forEach((c) => c.leave())
      channels.clear()
      ;[...typingTimers.values(), ...attachmentTimers.values()].forEach(clearTimeout)
      if (retryTimer) clearTimeout(retryTimer)
    },
    catchUp,
    resume() {
      live.reconnect()
      // The socket may have outlived the blip: then no new SUBSCRIBED comes to lift the pause.
      if (state.live === 'paused' && live.isLive()) set({ live: 'live' })
      void catchUp()
    },
    pause() {
      if (state.live !== 'paused') set({ live: 'paused' })
    },
    addTicket(ticket, message) {
      mergeTickets([ticket])
      mergeInto(ticket.id, [message])
    },
    async openThread(ticketId) {
      if (!channels.has(ticketId)) channels.set(ticketId, live.joinTicket(ticketId, (p) => onTyping(ticketId, p)))
      const thread = state.threads[ticketId]
      if (thread?.complete) {
        await refreshAttachments(ticketId).catch(() => undefined)
        return
      }
      setThread(ticketId, { loading: true, error: null })
      try {
        const [messages, attachments] = await Promise.all([
          data.messagesSince(ticketId, null),
          data.attachments(ticketId),
        ])
        mergeInto(ticketId, messages, { complete: true, loading: false, attachments })
      } catch (error) {
        setThread(ticketId, { loading: false, error: (error as Error).message || 'Could not load the conversation' })
      }
    },
    closeThread(ticketId) {
      channels.get(ticketId)?.leave()
      channels.delete(ticketId)
    },
    async send(ticketId, content, outgoing) {
      const m = optimisticMessage(ticketId, opts.uuid(), content, now(), outgoing)
      mergeInto(ticketId, [m])
      await deliver(ticketId, m)
    },
    async retry(ticketId, clientId) {
      const failed = state.threads[ticketId]?.messages.find((m) => m.client_id === clientId && m.state === 'failed')
      if (!failed) return
      const again: ChatMessage = { ...failed, state: 'sending', failure: undefined, retryable: undefined }
      mergeInto(ticketId, [again])
      await deliver(ticketId, again)
    },
    markRead(ticketId) {
      const cursor = state.threads[ticketId]?.cursor
      const last = state.lastRead[ticketId]
      if (!cursor || (last && compareCursor(cursor, last) <= 0)) return
      const lastRead = { ...state.lastRead, [ticketId]: cursor }
      try {
        storage.setItem(READ_KEY, JSON.stringify(lastRead))
      } catch {
        /* storage full or blocked: unread counts reset on reload, nothing else breaks */
      }
      set({ lastRead })
    },
    setTyping(ticketId, isTyping) {
      channels.get(ticketId)?.sendTyping(isTyping)
    },
    refreshAttachments,
  }
}
