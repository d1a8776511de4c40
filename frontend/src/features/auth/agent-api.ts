import { agentSchema, type Agent } from '@/features/tickets/data/schema';
import { unwrap } from '@/lib/api-error';
import type { DeskClient } from '@/lib/supabase-client';

/** `users?id=eq.<uid>`: RLS shows agents only to agents, so visitors and strangers get null. */
export async function fetchAgentProfile(client: DeskClient, userId: string): Promise<Agent | null> {
  const result = await client.from('users').select('id,email,display_name,role').eq('id', userId).maybeSingle();
  const row = unwrap(result);
  return row ? agentSchema.parse(row) : null;
}
