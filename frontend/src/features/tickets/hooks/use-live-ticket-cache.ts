import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { useDeskEvent } from '@/features/realtime/desk-feed-provider';

import { applyTicketRow } from '../data/cache';
import { ticketKeys } from '../data/query-keys';

/** At most one list refetch per window, however many changes arrive. */
export const LIST_REFRESH_MS = 1_000;

/**
 * Keeps cached tickets live: updates patch rows in place at once; inserts and updates also
 * refresh the lists (throttled) because filters, sorting and counts may change; a `resync`
 * (reconnect, tab back, network back) invalidates every ticket query so what was missed loads.
 */
export function useLiveTicketCache(): void {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  useDeskEvent((event) => {
    const refreshLists = () => {
      if (timer.current !== undefined) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
      }, LIST_REFRESH_MS);
    };
    switch (event.type) {
      case 'resync':
        void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
        return;
      case 'ticket-update':
        applyTicketRow(queryClient, event.ticket);
        refreshLists();
        return;
      case 'ticket-insert':
        refreshLists();
        return;
      case 'message-insert':
        return;
    }
  });
}
