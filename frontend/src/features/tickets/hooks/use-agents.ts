import { useQuery } from '@tanstack/react-query';

import { useSupabase } from '@/lib/supabase-context';

import { agentKeys } from '../data/query-keys';
import { fetchAgents } from '../data/tickets-api';

export function useAgents() {
  const client = useSupabase();
  return useQuery({ queryKey: agentKeys.list(), queryFn: () => fetchAgents(client), staleTime: 5 * 60_000 });
}
