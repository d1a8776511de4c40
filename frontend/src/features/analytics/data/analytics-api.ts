import * as z from 'zod/v4/mini';

import { ticketSchema, type Ticket } from '@/features/tickets/data/schema';
import { unwrapRows } from '@/lib/api-error';
import type { DeskClient } from '@/lib/supabase-client';
import { addDays } from '@/lib/time';

import { rpcRange, type DateRange } from './date-range';
import {
  ticketMetricsSchema,
  ticketsPerDayRowSchema,
  weeklyDurationRowSchema,
  type Drilldown,
  type TicketMetrics,
  type TicketsPerDayRow,
  type WeeklyDurationRow,
  type WeeklyMetric,
} from './schema';

export const DRILLDOWN_LIMIT = 100;

const weeklyFunction: Record<WeeklyMetric, string> = {
  first_response: 'first_response_per_week',
  resolution: 'resolution_time_per_week',
};

export async function fetchMetrics(client: DeskClient, range: DateRange): Promise<TicketMetrics | null> {
  const rows = unwrapRows(await client.rpc('ticket_metrics', rpcRange(range)));
  return z.array(ticketMetricsSchema).parse(rows)[0] ?? null;
}

export async function fetchTicketsPerDay(client: DeskClient, range: DateRange): Promise<TicketsPerDayRow[]> {
  return z.array(ticketsPerDayRowSchema).parse(unwrapRows(await client.rpc('tickets_per_day', rpcRange(range))));
}

export async function fetchWeekly(client: DeskClient, range: DateRange, metric: WeeklyMetric): Promise<WeeklyDurationRow[]> {
  const rows = unwrapRows(await client.rpc(weeklyFunction[metric], rpcRange(range)));
  return z.array(weeklyDurationRowSchema).parse(rows);
}

const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);

/**
 * The tickets behind one chart point, with the same rules as the SQL function that drew it:
 * a day = tickets created that UTC day with that current status; a week = tickets created that
 * ISO week (clipped to the range) that got a first response / were resolved.
 */
export async function fetchDrilldown(
  client: DeskClient,
  range: DateRange,
  selection: Drilldown,
): Promise<{ tickets: Ticket[]; total: number }> {
  const from = selection.kind === 'day' ? selection.day : max(selection.week, range.from);
  const toExclusive =
    selection.kind === 'day' ? addDays(selection.day, 1) : min(addDays(selection.week, 7), addDays(range.to, 1));
  let query = client
    .from('tickets')
    .select(
      'id,number,customer_id,subject,status,priority,assignee_id,created_at,updated_at,last_message_at,' +
        'first_response_at,resolved_at,closed_at,customer:customers(id,email,name)',
      { count: 'exact' },
    )
    .gte('created_at', `${from}T00:00:00Z`)
    .lt('created_at', `${toExclusive}T00:00:00Z`);
  if (selection.kind === 'day' && selection.status) query = query.eq('status', selection.status);
  if (selection.kind === 'week') {
    query = query.not(selection.metric === 'first_response' ? 'first_response_at' : 'resolved_at', 'is', null);
  }
  const result = await query.order('created_at', { ascending: true }).limit(DRILLDOWN_LIMIT);
  const rows = unwrapRows(result);
  return { tickets: z.array(ticketSchema).parse(rows), total: result.count ?? rows.length };
}
