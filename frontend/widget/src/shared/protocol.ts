/**
 * The postMessage protocol between the loader (host page) and the iframe app.
 *
 * Every message is an envelope `{ p: "supadesk/1", type, payload? }`. Both sides post with an explicit
 * target origin and accept a message only when `event.origin` is the expected peer origin AND
 * `event.source` is the expected window; `readEnvelope` then rejects anything not shaped like ours.
 */

export const PROTOCOL = 'supadesk/1'

export interface Identity {
  email?: string
  name?: string
}

/** Messages the host (loader) sends to the frame. */
export type HostMessage =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'identify'; payload: Identity }

/** What the host page receives in `supadesk:message` events. */
export interface IncomingMessageDetail {
  ticketId: string
  messageId: string
  createdAt: string
  preview: string
}

/** Messages the frame sends to the host (loader). */
export type FrameMessage =
  | { type: 'ready' }
  | { type: 'close' }
  | { type: 'unread'; payload: { count: number } }
  | { type: 'message'; payload: IncomingMessageDetail }
  | { type: 'ticket-created'; payload: { ticketId: string; number: number } }

export interface Envelope {
  p: typeof PROTOCOL
  type: string
  payload?: unknown
}

export function envelope(type: string, payload?: unknown): Envelope {
  return payload === undefined ? { p: PROTOCOL, type } : { p: PROTOCOL, type, payload }
}

/** Returns `{type, payload}` when `data` is one of our envelopes, otherwise null. */
export function readEnvelope(data: unknown): { type: string; payload: unknown } | null {
  if (typeof data !== 'object' || data === null) return null
  const env = data as Partial<Envelope>
  if (env.p !== PROTOCOL || typeof env.type !== 'string') return null
  return { type: env.type, payload: env.payload }
}
