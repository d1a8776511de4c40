/**
 * realtime-js wiring (loaded lazily with the conversation views):
 * - channel "supadesk-visitor": postgres_changes messages INSERT + tickets UPDATE (RLS decides);
 * - private channel "ticket:<id>": broadcast `typing` {sender_type, typing};
 * - private presence channel "agents:presence": any key present = support online.
 * The socket authenticates with the visitor's access token (setAuth before the first join, again on
 * every refresh).
 */
import { RealtimeClient, type RealtimeChannel } from '@supabase/realtime-js'
import type { LiveApi } from '../sync/store'
import type { Clients } from './clients'
import type { Message, Ticket } from './types'

export function createLive(clients: Clients): LiveApi {
  let changes: RealtimeChannel | null = null
  const url = clients.apiUrl.replace(/^http/, 'ws') + '/realtime/v1'
  const rt = new RealtimeClient(url, { params: { apikey: clients.anonKey } })
  const authed = clients.token().then((token) => rt.setAuth(token))
  clients.auth.onAuthStateChange((event, session) => {
    if ((event === 'TOKEN_REFRESHED' || event === 'SIGNED_IN') && session) void rt.setAuth(session.access_token)
  })

  /** Creates and subscribes a channel once the socket has the visitor's token. */
  function open(build: () => RealtimeChannel, onStatus?: (status: string) => void): () => void {
    let channel: RealtimeChannel | null = null
    let closed = false
    void authed.then(() => {
      if (closed) return
      channel = build().subscribe((status) => onStatus?.(status))
    })
    return () => {
      closed = true
      if (channel) void rt.removeChannel(channel)
    }
  }

  return {
    subscribeChanges(handlers) {
      return open(
        () =>
          (changes = rt
            .channel('supadesk-visitor')
            .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, (p) =>
              handlers.message(p.new as Message),
            )
            .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'tickets' }, (p) =>
              handlers.ticket(p.new as Ticket),
            )),
        handlers.status,
      )
    },
    joinTicket(ticketId, onTyping) {
      let channel: RealtimeChannel | null = null
      const leave = open(() => {
        channel = rt
          .channel('ticket:' + ticketId, { config: { private: true, broadcast: { self: false } } })
          .on('broadcast', { event: 'typing' }, ({ payload }) => onTyping(payload ?? {}))
        return channel
      })
      return {
        sendTyping(typing) {
          if (channel?.state === 'joined')
            void channel.send({ type: 'broadcast', event: 'typing', payload: { sender_type: 'customer', typing } })
        },
        leave,
      }
    },
    watchAgents(onChange) {
      let channel: RealtimeChannel | null = null
      return open(() => {
        channel = rt
          .channel('agents:presence', { config: { private: true } })
          .on('presence', { event: 'sync' }, () => onChange(Object.keys(channel!.presenceState()).length > 0))
        return channel
      })
    },
    reconnect() {
      if (!rt.isConnected()) rt.connect()
    },
    isLive() {
      return rt.isConnected() && changes?.state === 'joined'
    },
  }
}
