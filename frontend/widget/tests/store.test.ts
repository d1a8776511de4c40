import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createStore, sortTickets, totalUnread, type ConversationStore } from '../src/frame/sync/store'
import { FakeLive, FakeServer, memoryStorage, settle, ticket } from './fakes'

let server: FakeServer
let live: FakeLive
let storage: ReturnType<typeof memoryStorage>
let ids: number
let incoming: string[]

function make(extra: Partial<Parameters<typeof createStore>[0]> = {}): ConversationStore {
  return createStore({
    data: server,
    live,
    send: server,
    storage,
    uuid: () => `client-${++ids}`,
    lookbackMs: 0,
    retryDelayMs: 5,
    onIncoming: (m) => incoming.push(m.id),
    ...extra,
  })
}
const contents = (store: ConversationStore, t = 't1'): string[] => store.get().threads[t]?.messages.map((m) => m.content) ?? []

beforeEach(() => {
  server = new FakeServer()
  live = new FakeLive()
  storage = memoryStorage()
  ids = 0
  incoming = []
  server.tickets_.push(ticket('t1'))
  server.message('t1', { sender_type: 'customer', content: 'help' })
})

describe('conversation store: loading and live updates', () => {
  it('loads tickets and their recent messages', async () => {
    const store = make()
    await store.start()
    expect(store.get().ticketsLoaded).toBe(true)
    expect(store.get().tickets.map((t) => t.id)).toEqual(['t1'])
    expect(contents(store)).toEqual(['help'])
    expect(store.get().live).toBe('connecting')
  })

  it('appends realtime inserts once, advances the cursor, and reports support replies to the host', async () => {
    const store = make()
    await store.start()
    const reply = server.message('t1')
    live.insert(reply)
    live.insert(reply)
    expect(contents(store)).toEqual(['help', reply.content])
    expect(store.get().threads.t1.cursor).toEqual({ created_at: reply.created_at, id: reply.id })
    expect(incoming).toEqual([reply.id])
  })

  it('does not report messages that were already there at the first load', async () => {
    server.message('t1')
    const store = make()
    await store.start()
    expect(incoming).toEqual([])
  })

  it('applies ticket status updates', async () => {
    const store = make()
    await store.start()
    live.handlers!.ticket({ id: 't1', status: 'resolved' })
    expect(store.get().tickets[0].status).toBe('resolved')
    expect(store.get().tickets[0].subject).toBe('Subject t1')
  })

  it('is paused while the channel is not SUBSCRIBED', async () => {
    const store = make()
    await store.start()
    live.status('SUBSCRIBED')
    expect(store.get().live).toBe('live')
    live.status('CHANNEL_ERROR')
    expect(store.get().live).toBe('paused')
    live.status('SUBSCRIBED')
    expect(store.get().live).toBe('live')
    store.pause()
    expect(store.get().live).toBe('paused')
  })

  it('lifts the pause on resume when the channel survived a network blip', async () => {
    const store = make()
    await store.start()
    live.status('SUBSCRIBED')
    store.pause()
    expect(store.get().live).toBe('paused')
    store.resume()
    expect(store.get().live).toBe('live')
  })

  it('stays paused on resume while the channel is down', async () => {
    const store = make()
    await store.start()
    live.status('CHANNEL_ERROR')
    store.resume()
    expect(store.get().live).toBe('paused')
  })

  it('tracks agent presence', async () => {
    const store = make()
    await store.start()
    expect(store.get().agentsOnline).toBeNull()
    live.agents!(true)
    expect(store.get().agentsOnline).toBe(true)
  })
})

describe('conversation store: no gaps', () => {
  it('after a reconnect fetches only since the cursor and fills the gap without duplicates', async () => {
    const store = make()
    await store.start()
    live.status('SUBSCRIBED')
    await settle()
    const seen = server.message('t1', { content: 'seen live' })
    live.insert(seen)
    live.status('CHANNEL_ERROR')
    const missed1 = server.message('t1', { content: 'missed 1' })
    server.message('t1', { content: 'missed 2' })
    server.calls = []
    live.status('SUBSCRIBED')
    await settle()
    const since = server.calls.find((c) => c.name === 'messagesSince')!
    expect(since.args).toEqual(['t1', seen.created_at])
    expect(contents(store)).toEqual(['help', 'seen live', 'missed 1', 'missed 2'])
    expect(incoming).toContain(missed1.id)
    // the catch-up page repeated "seen live" (gte); it is still there once
    expect(contents(store).filter((c) => c === 'seen live')).toHaveLength(1)
  })

  it('catches up when the tab becomes visible / the network is back, and reconnects the socket', async () => {
    const store = make()
    await store.start()
    server.message('t1', { content: 'while hidden' })
    store.resume()
    await settle()
    expect(live.reconnects).toBe(1)
    expect(contents(store)).toContain('while hidden')
  })

  it('finds tickets it did not know (status changed or created elsewhere) and loads their messages', async () => {
    const store = make()
    await store.start()
    server.tickets_.push(ticket('t2'))
    server.message('t2', { content: 'other' })
    await store.catchUp()
    expect(store.get().tickets.map((t) => t.id).sort()).toEqual(['t1', 't2'])
    expect(contents(store, 't2')).toEqual(['other'])
    expect(store.get().threads.t2.complete).toBe(true)
  })

  it('still catches up a ticket that was closed while we were away (its last reply is not lost)', async () => {
    const store = make()
    await store.start()
    server.message('t1', { content: 'final answer' })
    server.tickets_[0].status = 'closed'
    await store.catchUp()
    expect(store.get().tickets[0].status).toBe('closed')
    expect(contents(store)).toContain('final answer')
    server.calls = []
    await store.catchUp()
    expect(server.calls.filter((c) => c.name === 'messagesSince')).toHaveLength(0)
  })

  it('retries a failed catch-up until it succeeds', async () => {
    const store = make()
    await store.start()
    server.message('t1', { content: 'late' })
    server.failNext = 2
    await store.catchUp()
    expect(contents(store)).not.toContain('late')
    await vi.waitFor(() => expect(contents(store)).toContain('late'))
  })

  it('runs overlapping triggers as one catch-up plus one follow-up, not in parallel', async () => {
    const store = make()
    await store.start()
    server.calls = []
    const a = store.catchUp()
    const b = store.catchUp()
    const c = store.catchUp()
    await Promise.all([a, b, c])
    expect(server.calls.filter((x) => x.name === 'tickets')).toHaveLength(2)
  })

  it('widens the catch-up window by the look-back', async () => {
    const store = make({ lookbackMs: 1000 })
    await store.start()
    server.calls = []
    await store.catchUp()
    const [, since] = server.calls.find((c) => c.name === 'messagesSince')!.args as [string, string]
    const cursor = store.get().threads.t1.cursor!.created_at
    expect(Date.parse(cursor) - Date.parse(since)).toBeGreaterThanOrEqual(1000)
  })
})

describe('conversation store: sending', () => {
  it('shows the message at once and swaps in the server row', async () => {
    const store = make()
    await store.start()
    const sending = store.send('t1', 'new question')
    expect(store.get().threads.t1.messages.at(-1)).toMatchObject({ content: 'new question', state: 'sending', client_id: 'client-1' })
    await sending
    const last = store.get().threads.t1.messages.at(-1)!
    expect(last.state).toBeUndefined()
    expect(last.id).toMatch(/^srv-/)
    expect(server.addMessage).toHaveBeenCalledWith({ ticket_id: 't1', content: 'new question', client_id: 'client-1' })
  })

  it('does not double the message when the realtime echo arrives before the response', async () => {
    const store = make()
    await store.start()
    server.addMessage.mockImplementationOnce(async (input) => {
      const row = server.message('t1', { sender_type: 'customer', content: input.content, client_id: input.client_id })
      live.insert(row)
      return { message: row, attachments: [] }
    })
    await store.send('t1', 'echoed')
    expect(contents(store).filter((c) => c === 'echoed')).toHaveLength(1)
  })

  it('marks a failed send retryable and retries with the same client_id', async () => {
    const store = make()
    await store.start()
    const { ApiError } = await import('../src/frame/api/errors')
    server.addMessage.mockRejectedValueOnce(new ApiError(0, 'network', 'Network error'))
    await store.send('t1', 'flaky')
    const failed = store.get().threads.t1.messages.at(-1)!
    expect(failed).toMatchObject({ state: 'failed', retryable: true, failure: 'Network error' })
    await store.retry('t1', failed.client_id!)
    expect(server.addMessage).toHaveBeenLastCalledWith(expect.objectContaining({ client_id: failed.client_id }))
    expect(contents(store).filter((c) => c === 'flaky')).toHaveLength(1)
    expect(store.get().threads.t1.messages.at(-1)!.state).toBeUndefined()
  })

  it('a retry after a lost response returns the stored row instead of a second message', async () => {
    const store = make()
    await store.start()
    const { ApiError } = await import('../src/frame/api/errors')
    server.addMessage.mockImplementationOnce(async (input) => {
      server.message('t1', { sender_type: 'customer', content: input.content, client_id: input.client_id })
      throw new ApiError(503, 'unavailable', 'Gateway timeout')
    })
    await store.send('t1', 'once')
    await store.retry('t1', 'client-1')
    expect(server.messages.filter((m) => m.content === 'once')).toHaveLength(1)
    expect(contents(store).filter((c) => c === 'once')).toHaveLength(1)
  })

  it('a closed ticket fails for good and shows as closed', async () => {
    const store = make()
    await store.start()
    server.tickets_[0].status = 'closed'
    await store.send('t1', 'too late')
    expect(store.get().threads.t1.messages.at(-1)).toMatchObject({ state: 'failed', retryable: false })
    expect(store.get().tickets[0].status).toBe('closed')
  })

  it('sends attachments with the message', async () => {
    const store = make()
    await store.start()
    const ref = { object_path: 'tickets/t1/a.png', file_name: 'a.png', mime_type: 'image/png' }
    await store.send('t1', 'see file', [ref])
    expect(server.addMessage).toHaveBeenCalledWith(expect.objectContaining({ attachments: [ref] }))
  })
})

describe('conversation store: threads, unread, typing', () => {
  it('opening a thread loads full history and attachments and joins its channel', async () => {
    const store = make()
    await store.start()
    server.attachmentRows.push({ id: 'a1', ticket_id: 't1', message_id: 'srv-1', file_name: 'x.pdf', mime_type: 'application/pdf', size_bytes: 3, object_path: 'p' })
    await store.openThread('t1')
    expect(store.get().threads.t1.complete).toBe(true)
    expect(store.get().threads.t1.attachments).toHaveLength(1)
    expect(live.typing.has('t1')).toBe(true)
    store.closeThread('t1')
    expect(live.typing.has('t1')).toBe(false)
  })

  it('counts unread support replies and remembers what was read across reloads', async () => {
    server.message('t1', { content: 'r1' })
    server.message('t1', { content: 'r2' })
    let store = make()
    await store.start()
    expect(totalUnread(store.get())).toBe(2)
    store.markRead('t1')
    expect(totalUnread(store.get())).toBe(0)
    store.stop()
    store = make()
    await store.start()
    expect(totalUnread(store.get())).toBe(0)
    live.insert(server.message('t1'))
    expect(totalUnread(store.get())).toBe(1)
  })

  it('shows the agent typing and clears it after a while without news', async () => {
    vi.useFakeTimers()
    try {
      const store = make()
      await store.start()
      await store.openThread('t1')
      live.typing.get('t1')!({ sender_type: 'admin', typing: true })
      expect(store.get().typing.t1).toBe(true)
      live.typing.get('t1')!({ sender_type: 'customer', typing: false })
      expect(store.get().typing.t1).toBe(true)
      vi.advanceTimersByTime(6500)
      expect(store.get().typing.t1).toBe(false)
      live.typing.get('t1')!({ sender_type: 'admin', typing: true })
      live.typing.get('t1')!({ sender_type: 'admin', typing: false })
      expect(store.get().typing.t1).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('forwards the visitor typing to the ticket channel', async () => {
    const store = make()
    await store.start()
    await store.openThread('t1')
    store.setTyping('t1', true)
    expect(live.sent).toEqual([{ ticketId: 't1', typing: true }])
  })

  it('sorts tickets by latest activity', async () => {
    server.tickets_.push(ticket('t2'))
    server.message('t2')
    const store = make()
    await store.start()
    expect(sortTickets(store.get().tickets, store.get().threads).map((t) => t.id)).toEqual(['t2', 't1'])
    live.insert(server.message('t1'))
    expect(sortTickets(store.get().tickets, store.get().threads).map((t) => t.id)).toEqual(['t1', 't2'])
  })
})
