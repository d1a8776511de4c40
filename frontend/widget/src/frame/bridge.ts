/**
 * The frame's side of the postMessage bridge: posts only to the declared host origin and accepts
 * only messages whose event.origin is that origin AND whose source is our parent window.
 */
import { envelope, readEnvelope, type FrameMessage, type HostMessage, type Identity } from '../shared/protocol'

export interface Bridge {
  send(message: FrameMessage): void
  listen(handler: (message: HostMessage) => void): () => void
}

function cleanIdentity(payload: unknown): Identity | null {
  if (!payload || typeof payload !== 'object') return null
  const { email, name } = payload as Record<string, unknown>
  const identity: Identity = {}
  if (typeof email === 'string') identity.email = email.slice(0, 254)
  if (typeof name === 'string') identity.name = name.slice(0, 200)
  return identity.email || identity.name ? identity : null
}

export function createBridge(win: Window, parentOrigin: string): Bridge {
  return {
    send(message) {
      win.parent.postMessage(envelope(message.type, 'payload' in message ? message.payload : undefined), parentOrigin)
    },
    listen(handler) {
      const listener = (event: MessageEvent): void => {
        if (event.origin !== parentOrigin || event.source !== win.parent) return
        const msg = readEnvelope(event.data)
        if (!msg) return
        if (msg.type === 'open' || msg.type === 'close') handler({ type: msg.type })
        else if (msg.type === 'identify') {
          const identity = cleanIdentity(msg.payload)
          if (identity) handler({ type: 'identify', payload: identity })
        }
      }
      win.addEventListener('message', listener)
      return () => win.removeEventListener('message', listener)
    },
  }
}
