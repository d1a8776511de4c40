import * as z from 'zod/v4/mini';

import { cursorOf, type MessageCursor } from '@/features/tickets/conversation/merge';
import { messageSchema, ticketRowSchema, type Message, type TicketRow } from '@/features/tickets/data/schema';
import { unwrapRows } from '@/lib/api-error';
import type { DeskClient } from '@/lib/supabase-client';

/** How many missed rows of each kind one resync replays (newer ones reach the views by refetch). */
export const REPLAY_LIMIT = 200;

const TICKET_COLUMNS =
  'id,number,customer_id,subject,status,priority,assignee_id,created_at,updated_at,last_message_at';
const MESSAGE_COLUMNS = 'id,ticket_id,sender_type,sender_id,content,client_id,created_at';

export interface FeedCursors {
  tickets: MessageCursor | null;
  messages: MessageCursor | null;
}

/** Moves a cursor forward only. */
export function advance(cursor: MessageCursor | null, row: { created_at: string; id: string }): MessageCursor {
  const next = cursorOf(row);
  if (!cursor) return next;
  if (next.micros > cursor.micros || (next.micros === cursor.micros && next.id > cursor.id)) return next;
  return cursor;
}

async function latest(client: DeskClient, table: 'tickets' | 'messages'): Promise<MessageCursor | null> {
  const result = await client
    .from(table)
    .select('id,created_at')
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(1);
  const row = z.array(z.object({ id: z.string(), created_at: z.string() })).parse(unwrapRows(result))[0];
  return row ? cursorOf(row) : null;
}

/** Where the feed starts: the newest ticket and message the server has now. */
export async function initialCursors(client: DeskClient): Promise<FeedCursors> {
  const [tickets, messages] = await Promise.all([latest(client, 'tickets'), latest(client, 'messages')]);
  return { tickets, messages };
}

/** Tickets created at or after the cursor (the caller skips the ones it already delivered). */
export async function missedTickets(client: DeskClient, cursor: MessageCursor): Promise<TicketRow[]> {
  const result = await client
    .from('tickets')
    .select(TICKET_COLUMNS)
    .gte('created_at', cursor.createdAt)
    .order('created_at', { ascending: true })
    .order('id', { ascending: true })
    .limit(REPLAY_LIMIT);
  return z.array(ticketRowSchema).parse(unwrapRows(result));
}

/** Visitor messages created at or after the cursor, on any ticket. */
export async function missedMessages(client: DeskClient, cursor: MessageCursor): Promise<Message[]> {
  const result = await client
    .from('messages')
    .select(MESSAGE_COLUMNS)
    .eq('sender_type', 'customer')
    .gte('created_at', cursor.createdAt)
    .order('created_at', { ascending: true })
    .order('id', { ascending: true })
    .limit(REPLAY_LIMIT);
  return z.array(messageSchema).parse(unwrapRows(result));
}
