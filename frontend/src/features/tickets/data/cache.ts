import type { QueryClient } from '@tanstack/react-query';

import { ticketKeys } from './query-keys';
import type { Ticket, TicketRow } from './schema';
import type { TicketPage } from './tickets-api';

/** Applies a fresh tickets row (Realtime UPDATE or a mutation result) to every cached copy. */
export function applyTicketRow(queryClient: QueryClient, row: TicketRow): void {
  queryClient.setQueriesData<TicketPage>({ queryKey: ticketKeys.lists() }, (page) => {
    if (!page || !page.tickets.some((ticket) => ticket.id === row.id)) return page;
    return {
      ...page,
      tickets: page.tickets.map((ticket) => (ticket.id === row.id ? { ...ticket, ...row } : ticket)),
    };
  });
  queryClient.setQueryData<Ticket>(ticketKeys.detail(row.id), (ticket) => (ticket ? { ...ticket, ...row } : ticket));
}
