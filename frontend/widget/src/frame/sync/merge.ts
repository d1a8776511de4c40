/**
 * Pure, side-effect-free message bookkeeping: ordering, per-ticket cursor, de-duplicated merging of
 * realtime events / catch-up pages / optimistic sends, and unread counts. The store calls these;
 * the tests pin them down.
 *
 * Order: confirmed messages by (created_at, id) — the same order as the catch-up query
 * `order=created_at.asc,id.asc` — then optimistic ones (not yet confirmed) by their local time.
 */
import type { AttachmentRef, Message } from '../api/types'
import { isoFromKey, timeKey } from './time'

export type SendState = 'sending' | 'failed'

/** A message as the widget shows it: a server row, or an optimistic one with `state` set. */
export interface ChatMessage extends Message {
  state?: SendState
  /** Why the send failed, for the UI. */
  failure?: string
  /** Whether retrying (same client_id) can help. */
  retryable?: boolean
  /** Uploaded attachments waiting to be sent with this message. */
  outgoing?: AttachmentRef[]
}

/** Newest confirmed message seen for one ticket. */
export interface Cursor {
  created_at: string
  id: string
}

export function compareCursor(a: Cursor, b: Cursor): number {
  const d = timeKey(a.created_at) - timeKey(b.created_at)
  if (d !== 0) return d
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  const pa = a.state ? 1 : 0
  const pb = b.state ? 1 : 0
  return pa !== pb ? pa - pb : compareCursor(a, b)
}

/** Cursor after also seeing `messages` (only confirmed ones move it; it never goes back). */
export function advanceCursor(cursor: Cursor | null, messages: readonly ChatMessage[]): Cursor | null {
  let best = cursor
  for (const m of messages) {
    if (m.state) continue
    if (!best || compareCursor(m, best) > 0) best = { created_at: m.created_at, id: m.id }
  }
  return best
}

/**
 * The `created_at=gte.` value for a catch-up. `gte` (not `gt`) so a message sharing the cursor's
 * timestamp is not skipped; `lookbackMs` widens the window for rows whose transaction committed after
 * a later one (their created_at is older than the cursor). Duplicates are dropped by `mergeMessages`.
 */
export function catchUpSince(cursor: Cursor | null, lookbackMs = 0): string | null {
  if (!cursor) return null
  if (lookbackMs <= 0) return cursor.created_at
  return isoFromKey(timeKey(cursor.created_at) - lookbackMs * 1000)
}

/**
 * Merges `incoming` into `existing` (both may hold optimistic messages):
 * - a confirmed message whose id is known replaces the old copy only if something changed;
 * - a confirmed message replaces the optimistic one with the same client_id (send ack, realtime echo);
 * - an optimistic message is added only if its client_id is not there yet (a retry never doubles);
 * - a stale optimistic copy never replaces a confirmed message.
 * Returns `existing` itself when nothing changed, so memoised views do not re-render.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[]
  const byId = new Map<string, number>()
  const byClient = new Map<string, number>()
  const out = existing.slice()
  out.forEach((m, i) => {
    byId.set(m.id, i)
    if (m.client_id) byClient.set(m.client_id, i)
  })
  let changed = false
  for (const m of incoming) {
    const atId = byId.get(m.id)
    const atClient = m.client_id ? byClient.get(m.client_id) : undefined
    const at = atId ?? atClient
    if (at === undefined) {
      out.push(m)
      byId.set(m.id, out.length - 1)
      if (m.client_id) byClient.set(m.client_id, out.length - 1)
      changed = true
      continue
    }
    const old = out[at]
    if (m.state && !old.state) continue // never downgrade a confirmed message
    if (sameMessage(old, m)) continue
    byId.delete(old.id)
    out[at] = m
    byId.set(m.id, at)
    changed = true
  }
  if (!changed) return existing as ChatMessage[]
  // Defensive: one entry per id even if a server ever reused a client_id across rows.
  const seen = new Set<string>()
  return out.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true))).sort(compareMessages)
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a.id === b.id &&
    a.state === b.state &&
    a.content === b.content &&
    a.created_at === b.created_at &&
    a.failure === b.failure &&
    a.sender_type === b.sender_type
  )
}

/** Support (admin) messages newer than what the visitor has read. */
export function countUnread(messages: readonly ChatMessage[], lastRead: Cursor | null): number {
  let n = 0
  for (const m of messages) {
    if (!m.state && m.sender_type === 'admin' && (!lastRead || compareCursor(m, lastRead) > 0)) n++
  }
  return n
}

/** Last confirmed-or-pending message, for list previews. */
export function lastMessage(messages: readonly ChatMessage[]): ChatMessage | undefined {
  return messages[messages.length - 1]
}

/** The optimistic copy of a message the visitor is sending. */
export function optimisticMessage(
  ticketId: string,
  clientId: string,
  content: string,
  now: Date,
  outgoing?: AttachmentRef[],
): ChatMessage {
  return {
    id: 'local:' + clientId,
    ticket_id: ticketId,
    sender_type: 'customer',
    sender_id: null,
    content,
    client_id: clientId,
    created_at: now.toISOString(),
    state: 'sending',
    outgoing,
  }
}
