import * as z from 'zod/v4/mini';

import { ApiError, unwrap, unwrapRows } from '@/lib/api-error';
import { containsPattern, quoteFilterValue } from '@/lib/postgrest';
import type { DeskClient } from '@/lib/supabase-client';

import type { TicketFilters } from './filters';
import { agentSchema, ticketRowSchema, ticketSchema, type Agent, type Ticket, type TicketRow } from './schema';

export const TICKET_PAGE_SIZE = 50;

const TICKET_COLUMNS =
  'id,number,customer_id,subject,status,priority,assignee_id,created_at,updated_at,last_message_at,' +
  'first_response_at,resolved_at,closed_at';
const LIST_SELECT = `${TICKET_COLUMNS},customer:customers(id,email,name)`;
/** A second, filtered embed used only to match the customer's email (PostgREST null filtering). */
const EMAIL_MATCH_EMBED = 'email_match:customers(id)';

export interface TicketPage {
  tickets: Ticket[];
  total: number;
}

/** Local midnight of a YYYY-MM-DD day, as an instant. */
function localDayStart(day: string): string {
  return new Date(`${day}T00:00:00`).toISOString();
}

function nextLocalDayStart(day: string): string {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

/**
 * One page of the ticket list, filtered, sorted and counted on the server:
 * `GET /rest/v1/tickets?select=…&status=eq.open&or=(subject.ilike.*x*,email_match.not.is.null)
 *  &email_match.email=ilike.*x*&order=created_at.desc,id.desc` with `Range: 0-49` and `count=exact`.
 */
export async function fetchTicketPage(client: DeskClient, filters: TicketFilters, agentId: string): Promise<TicketPage> {
  const term = filters.q.trim();
  const select = term ? `${LIST_SELECT},${EMAIL_MATCH_EMBED}` : LIST_SELECT;
  let query = client.from('tickets').select(select, { count: 'exact' });

  if (filters.status !== 'all') query = query.eq('status', filters.status);
  if (filters.priority !== 'all') query = query.eq('priority', filters.priority);
  if (filters.assignee === 'me') query = query.eq('assignee_id', agentId);
  else if (filters.assignee === 'unassigned') query = query.is('assignee_id', null);
  else if (filters.assignee !== 'all') query = query.eq('assignee_id', filters.assignee);
  if (filters.from) query = query.gte('created_at', localDayStart(filters.from));
  if (filters.to) query = query.lt('created_at', nextLocalDayStart(filters.to));
  if (term) {
    const pattern = containsPattern(term);
    query = query
      .ilike('email_match.email', pattern)
      .or(`subject.ilike.${quoteFilterValue(pattern)},email_match.not.is.null`);
  }

  const ascending = filters.dir === 'asc';
  const from = filters.page * TICKET_PAGE_SIZE;
  const result = await query
    .order(filters.sort, { ascending })
    .order('id', { ascending })
    .range(from, from + TICKET_PAGE_SIZE - 1);

  // Asking for a page past the end (the list shrank) answers 416: show the empty last page.
  if (result.status === 416) return { tickets: [], total: result.count ?? 0 };
  const rows = unwrapRows(result);
  return { tickets: z.array(ticketSchema).parse(rows), total: result.count ?? rows.length };
}

export async function fetchTicket(client: DeskClient, ticketId: string): Promise<Ticket> {
  const result = await client
    .from('tickets')
    .select(`${TICKET_COLUMNS},customer:customers(id,email,name,created_at)`)
    .eq('id', ticketId)
    .maybeSingle();
  const row = unwrap(result);
  if (!row) throw new ApiError(404, 'ticket_not_found', 'This ticket does not exist or you cannot see it.');
  return ticketSchema.parse(row);
}

export type TicketPatch = { priority: Ticket['priority'] } | { assignee_id: string | null };

/** Priority and assignee go straight through REST (agents may update those columns). */
export async function updateTicketFields(client: DeskClient, ticketId: string, patch: TicketPatch): Promise<TicketRow> {
  const result = await client.from('tickets').update(patch).eq('id', ticketId).select(TICKET_COLUMNS).single();
  return ticketRowSchema.parse(unwrap(result));
}

export async function fetchAgents(client: DeskClient): Promise<Agent[]> {
  const result = await client.from('users').select('id,email,display_name,role').order('display_name');
  return z.array(agentSchema).parse(unwrapRows(result));
}
