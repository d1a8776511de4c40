import { useMutation, useQueryClient } from '@tanstack/react-query';

import { useSupabase } from '@/lib/supabase-context';
import { toasts } from '@/lib/toast-store';

import { applyTicketRow } from '../data/cache';
import { updateTicketStatus } from '../data/functions-api';
import { ticketKeys } from '../data/query-keys';
import type { TicketPriority, TicketRow, TicketStatus } from '../data/schema';
import { updateTicketFields } from '../data/tickets-api';
import { statusLabel } from '../data/display';

export type TicketChange =
  | { kind: 'status'; status: TicketStatus }
  | { kind: 'priority'; priority: TicketPriority }
  | { kind: 'assignee'; assigneeId: string | null };

/** Status through the update-ticket-status function (lifecycle checks); priority/assignee via REST. */
export function useUpdateTicket(ticketId: string) {
  const client = useSupabase();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TicketChange): Promise<TicketRow> => {
      switch (change.kind) {
        case 'status':
          return updateTicketStatus(client, ticketId, change.status);
        case 'priority':
          return updateTicketFields(client, ticketId, { priority: change.priority });
        case 'assignee':
          return updateTicketFields(client, ticketId, { assignee_id: change.assigneeId });
      }
    },
    onSuccess: (row, change) => {
      applyTicketRow(queryClient, row);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
      if (change.kind === 'status') toasts.show(`Ticket #${row.number} is now ${statusLabel[row.status].toLowerCase()}.`, 'success');
    },
  });
}
