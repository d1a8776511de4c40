/**
 * Lazily loaded part of the widget (not needed for the first interactive form): postgrest-js,
 * realtime-js, the conversation store and the "My tickets" views. ChatWidget imports it with
 * import() right after the first render, while the visitor reads the form.
 */
import type { ComponentType } from 'preact'
import { createDataApi } from './api/data'
import { createLive } from './api/realtime'
import type { Customer } from './api/types'
import type { App } from './app-context'
import { MyTickets, type MyTicketsProps } from './components/my-tickets'
import { createStore, totalUnread, type ConversationStore, type StoreState } from './sync/store'
import { uuid } from './uuid'

export interface Conversation {
  store: ConversationStore
  MyTickets: ComponentType<MyTicketsProps>
  unread(state: StoreState): number
  /** The visitor's customer row (email/name of an earlier ticket), for pre-filling the form. */
  customer: Promise<Customer | null>
  stop(): void
}

/** Reconnect and catch up when the tab becomes visible or the network comes back. */
function watchPage(win: Window, store: ConversationStore): () => void {
  const onVisible = (): void => {
    if (win.document.visibilityState === 'visible') store.resume()
  }
  const onOnline = (): void => store.resume()
  const onOffline = (): void => store.pause()
  win.document.addEventListener('visibilitychange', onVisible)
  win.addEventListener('online', onOnline)
  win.addEventListener('offline', onOffline)
  win.addEventListener('pageshow', onVisible)
  return () => {
    win.document.removeEventListener('visibilitychange', onVisible)
    win.removeEventListener('online', onOnline)
    win.removeEventListener('offline', onOffline)
    win.removeEventListener('pageshow', onVisible)
  }
}

export function startConversation(app: App, win: Window = window): Conversation {
  const data = createDataApi(app.clients)
  const store = createStore({
    data,
    live: createLive(app.clients),
    send: app.functions,
    storage: app.storage,
    uuid,
    onIncoming: (m) =>
      app.bridge.send({
        type: 'message',
        payload: { ticketId: m.ticket_id, messageId: m.id, createdAt: m.created_at, preview: m.content.slice(0, 140) },
      }),
  })
  const unwatch = watchPage(win, store)
  void store.start().catch(() => undefined)
  return {
    store,
    MyTickets,
    unread: totalUnread,
    customer: data.customer().catch(() => null),
    stop() {
      unwatch()
      store.stop()
    },
  }
}
