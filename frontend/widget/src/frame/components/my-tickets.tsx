/**
 * The "My tickets" tab: TicketList, or TicketDetail for the selected ticket. Going back puts focus
 * on the ticket that was open.
 */
import { useCallback, useMemo, useState } from 'preact/hooks'
import type { ConversationStore, StoreState } from '../sync/store'
import { sortTickets } from '../sync/store'
import { TicketDetail } from './ticket-detail'
import { TicketList } from './ticket-list'

export interface MyTicketsProps {
  store: ConversationStore
  state: StoreState
  selected: string | null
  onSelect(ticketId: string | null): void
  onNew(): void
  visible: boolean
  initialFiles: { ticketId: string; files: File[] } | null
  onInitialFilesTaken(): void
}

export function MyTickets(props: MyTicketsProps) {
  const { store, state, selected, onSelect, onNew, visible, initialFiles, onInitialFilesTaken } = props
  const [focusId, setFocusId] = useState<string | null>(null)
  const open = useCallback(
    (id: string) => {
      setFocusId(null)
      onSelect(id)
    },
    [onSelect],
  )
  const tickets = useMemo(() => sortTickets(state.tickets, state.threads), [state.tickets, state.threads])
  const messagesOf = useCallback((id: string) => state.threads[id]?.messages ?? [], [state.threads])
  const ticket = selected ? state.tickets.find((x) => x.id === selected) : undefined

  if (ticket)
    return (
      <TicketDetail
        key={ticket.id}
        ticket={ticket}
        thread={state.threads[ticket.id]}
        typing={Boolean(state.typing[ticket.id])}
        store={store}
        visible={visible}
        initialFiles={initialFiles?.ticketId === ticket.id ? initialFiles.files : undefined}
        onInitialFilesTaken={onInitialFilesTaken}
        onBack={() => {
          setFocusId(ticket.id)
          onSelect(null)
        }}
      />
    )
  return (
    <TicketList
      tickets={tickets}
      messagesOf={messagesOf}
      lastRead={state.lastRead}
      loading={!state.ticketsLoaded}
      error={state.error}
      focusId={focusId}
      onOpen={open}
      onNew={onNew}
    />
  )
}
