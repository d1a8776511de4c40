import { useQuery } from '@tanstack/react-query';

import { useSupabase } from '@/lib/supabase-context';

import { ticketKeys } from '../data/query-keys';
import { fetchTicket } from '../data/tickets-api';

export function useTicket(ticketId: string) {
  const client = useSupabase();
  return useQuery({ queryKey: ticketKeys.detail(ticketId), queryFn: () => fetchTicket(client, ticketId) });
}
