import { describe, expect, it } from 'vitest'
import {
  advanceCursor,
  catchUpSince,
  compareMessages,
  countUnread,
  mergeMessages,
  optimisticMessage,
  type ChatMessage,
} from '../src/frame/sync/merge'

let n = 0
function msg(over: Partial<ChatMessage> = {}): ChatMessage {
  n += 1
  return {
    id: over.id ?? `m${n}`,
    ticket_id: 't1',
    sender_type: 'admin',
    sender_id: 'agent',
    content: `message ${n}`,
    client_id: null,
    created_at: '2026-01-02T03:04:05.000001+00:00',
    ...over,
  }
}
const at = (micro: number): string => `2026-01-02T03:04:05.${String(micro).padStart(6, '0')}+00:00`

describe('compareMessages', () => {
  it('orders by created_at, then id, like order=created_at.asc,id.asc', () => {
    const a = msg({ id: 'b', created_at: at(1) })
    const b = msg({ id: 'a', created_at: at(2) })
    const c = msg({ id: 'c', created_at: at(2) })
    expect([c, b, a].sort(compareMessages).map((m) => m.id)).toEqual(['b', 'a', 'c'])
  })

  it('puts optimistic messages after every confirmed one', () => {
    const pending = { ...msg({ created_at: at(1) }), state: 'sending' as const }
    const confirmed = msg({ created_at: at(9) })
    expect([pending, confirmed].sort(compareMessages)).toEqual([confirmed, pending])
  })
})

describe('advanceCursor', () => {
  it('tracks the newest confirmed message and never moves back', () => {
    const old = msg({ id: 'x', created_at: at(5) })
    const newer = msg({ id: 'y', created_at: at(7) })
    let cursor = advanceCursor(null, [newer, old])
    expect(cursor).toEqual({ created_at: at(7), id: 'y' })
    cursor = advanceCursor(cursor, [old])
    expect(cursor).toEqual({ created_at: at(7), id: 'y' })
  })

  it('breaks timestamp ties by id', () => {
    const cursor = advanceCursor(null, [msg({ id: 'b', created_at: at(7) }), msg({ id: 'c', created_at: at(7) })])
    expect(cursor?.id).toBe('c')
  })

  it('ignores optimistic messages (their time is the browser clock)', () => {
    const pending = { ...msg({ created_at: at(999999) }), state: 'sending' as const }
    expect(advanceCursor(null, [pending])).toBeNull()
  })

  it('compares by microseconds, not by string', () => {
    // "…05.9+00:00" is later than "…05.10+00:00" even though it sorts before as a string
    const cursor = advanceCursor(null, [
      msg({ id: 'a', created_at: '2026-01-02T03:04:05.9+00:00' }),
      msg({ id: 'b', created_at: '2026-01-02T03:04:05.10+00:00' }),
    ])
    expect(cursor?.id).toBe('a')
  })
})

describe('catchUpSince', () => {
  it('is null without a cursor (load everything)', () => {
    expect(catchUpSince(null)).toBeNull()
    expect(catchUpSince(null, 1000)).toBeNull()
  })

  it('uses the cursor time itself for gte, so same-time messages are not skipped', () => {
    expect(catchUpSince({ created_at: at(123456), id: 'x' })).toBe(at(123456))
  })

  it('widens the window by the look-back', () => {
    expect(catchUpSince({ created_at: '2026-01-02T03:04:05.123456+00:00', id: 'x' }, 1000)).toBe('2026-01-02T03:04:04.123Z')
  })
})

describe('mergeMessages', () => {
  it('returns the same array when nothing is new (memoised views stay put)', () => {
    const a = msg()
    const list = [a]
    expect(mergeMessages(list, [])).toBe(list)
    expect(mergeMessages(list, [{ ...a }])).toBe(list)
  })

  it('drops duplicates by id (realtime event + catch-up page)', () => {
    const a = msg({ created_at: at(1) })
    const b = msg({ created_at: at(2) })
    const merged = mergeMessages([a], [a, b, b])
    expect(merged.map((m) => m.id)).toEqual([a.id, b.id])
  })

  it('keeps order when pages arrive out of order', () => {
    const a = msg({ created_at: at(1) })
    const b = msg({ created_at: at(2) })
    const c = msg({ created_at: at(3) })
    expect(mergeMessages([c], [a, b]).map((m) => m.id)).toEqual([a.id, b.id, c.id])
  })

  it('replaces the optimistic copy with the confirmed row by client_id', () => {
    const pending = optimisticMessage('t1', 'c-1', 'hello', new Date('2026-01-02T03:05:00Z'))
    const confirmed = msg({ id: 'srv-1', client_id: 'c-1', sender_type: 'customer', content: 'hello', created_at: at(7) })
    const merged = mergeMessages([pending], [confirmed])
    expect(merged).toEqual([confirmed])
  })

  it('never doubles a message when the send response and the realtime echo both arrive', () => {
    const pending = optimisticMessage('t1', 'c-1', 'hello', new Date())
    const confirmed = msg({ id: 'srv-1', client_id: 'c-1', sender_type: 'customer', content: 'hello' })
    const viaEcho = mergeMessages([pending], [confirmed])
    const viaBoth = mergeMessages(viaEcho, [{ ...confirmed }])
    expect(viaBoth).toHaveLength(1)
    expect(viaBoth[0].id).toBe('srv-1')
  })

  it('a retry with the same client_id does not add a second bubble', () => {
    const first = optimisticMessage('t1', 'c-1', 'hello', new Date())
    const failed = mergeMessages([first], [{ ...first, state: 'failed', failure: 'Network error', retryable: true }])
    expect(failed).toHaveLength(1)
    expect(failed[0].state).toBe('failed')
    const retrying = mergeMessages(failed, [{ ...first, state: 'sending' }])
    expect(retrying).toHaveLength(1)
    expect(retrying[0].state).toBe('sending')
  })

  it('a late optimistic copy never downgrades a confirmed message', () => {
    const confirmed = msg({ id: 'srv-1', client_id: 'c-1', sender_type: 'customer' })
    const stale = { ...optimisticMessage('t1', 'c-1', 'hello', new Date()), state: 'failed' as const }
    expect(mergeMessages([confirmed], [stale])).toEqual([confirmed])
  })

  it('keeps optimistic messages below confirmed ones, in send order', () => {
    const p1 = optimisticMessage('t1', 'c-1', 'one', new Date('2026-01-02T03:05:00Z'))
    const p2 = optimisticMessage('t1', 'c-2', 'two', new Date('2026-01-02T03:05:01Z'))
    const reply = msg({ created_at: '2026-01-02T03:06:00Z' })
    expect(mergeMessages([p1, p2], [reply]).map((m) => m.content)).toEqual([reply.content, 'one', 'two'])
  })

  it('takes updated content of a known id', () => {
    const a = msg()
    const merged = mergeMessages([a], [{ ...a, content: 'edited' }])
    expect(merged[0].content).toBe('edited')
  })
})

describe('countUnread', () => {
  it('counts support messages after the read cursor only', () => {
    const mine = msg({ sender_type: 'customer', created_at: at(3) })
    const r1 = msg({ id: 'r1', created_at: at(2) })
    const r2 = msg({ id: 'r2', created_at: at(4) })
    const sys = msg({ sender_type: 'system', created_at: at(5) })
    const list = [r1, mine, r2, sys]
    expect(countUnread(list, null)).toBe(2)
    expect(countUnread(list, { created_at: at(2), id: 'r1' })).toBe(1)
    expect(countUnread(list, { created_at: at(4), id: 'r2' })).toBe(0)
  })
})
