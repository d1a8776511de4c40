/** Derived views of the store state, for the UI. */
import { countUnread } from './merge'
import type { StoreState, ThreadState } from './store-types'
import type { Ticket } from '../api/types'
import { timeKey } from './time'

/** Tickets with the most recent activity first. */
export function sortTickets(tickets: readonly Ticket[], threads: Readonly<Record<string, ThreadState>>): Ticket[] {
  const activity = (t: Ticket): number => {
    const messages = threads[t.id]?.messages ?? []
    const last = messages[messages.length - 1]
    return Math.max(timeKey(t.last_message_at || t.created_at), last ? timeKey(last.created_at) : 0)
  }
  return tickets.slice().sort((a, b) => activity(b) - activity(a))
}

export function totalUnread(state: StoreState): number {
  let n = 0
  for (const t of state.tickets) n += countUnread(state.threads[t.id]?.messages ?? [], state.lastRead[t.id] ?? null)
  return n
}
