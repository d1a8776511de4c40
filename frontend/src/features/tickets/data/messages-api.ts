import * as z from 'zod/v4/mini';

import { unwrapRows } from '@/lib/api-error';
import { quoteFilterValue } from '@/lib/postgrest';
import type { DeskClient } from '@/lib/supabase-client';

import type { MessageCursor } from '../conversation/merge';
import { messageSchema, type Message } from './schema';

export const MESSAGE_PAGE_SIZE = 50;
/** Catch-up pages are larger: after a long disconnect everything missed is fetched at once. */
export const CATCH_UP_PAGE_SIZE = 200;
const MAX_CATCH_UP_PAGES = 20;

const MESSAGE_SELECT =
  'id,ticket_id,sender_type,sender_id,content,client_id,created_at,' +
  'attachments(id,message_id,object_path,file_name,mime_type,size_bytes)';

const parseMessages = (rows: unknown[]): Message[] => z.array(messageSchema).parse(rows);

/** The newest page, returned oldest first. */
export async function fetchLatestMessages(client: DeskClient, ticketId: string): Promise<Message[]> {
  const result = await client
    .from('messages')
    .select(MESSAGE_SELECT)
    .eq('ticket_id', ticketId)
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(MESSAGE_PAGE_SIZE);
  return parseMessages(unwrapRows(result)).reverse();
}

/** The page just before `before` in (created_at, id) order (keyset, exact with equal timestamps). */
export async function fetchOlderMessages(
  client: DeskClient,
  ticketId: string,
  before: MessageCursor,
): Promise<Message[]> {
  const at = quoteFilterValue(before.createdAt);
  const result = await client
    .from('messages')
    .select(MESSAGE_SELECT)
    .eq('ticket_id', ticketId)
    .or(`created_at.lt.${at},and(created_at.eq.${at},id.lt.${before.id})`)
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(MESSAGE_PAGE_SIZE);
  return parseMessages(unwrapRows(result)).reverse();
}

/**
 * Everything at or after the cursor:
 * `messages?ticket_id=eq.X&created_at=gte.<cursor>&order=created_at.asc,id.asc`.
 * `gte` re-reads the cursor's own timestamp so rows sharing it are never skipped; the merge
 * de-duplicates them by id.
 */
export async function fetchMessagesSince(
  client: DeskClient,
  ticketId: string,
  cursor: MessageCursor,
): Promise<Message[]> {
  const collected: Message[] = [];
  let since = cursor.createdAt;
  for (let page = 0; page < MAX_CATCH_UP_PAGES; page += 1) {
    const result = await client
      .from('messages')
      .select(MESSAGE_SELECT)
      .eq('ticket_id', ticketId)
      .gte('created_at', since)
      .order('created_at', { ascending: true })
      .order('id', { ascending: true })
      .limit(CATCH_UP_PAGE_SIZE);
    const rows = parseMessages(unwrapRows(result));
    collected.push(...rows);
    const last = rows[rows.length - 1];
    if (rows.length < CATCH_UP_PAGE_SIZE || !last || last.created_at === since) break;
    since = last.created_at;
  }
  return collected;
}

/** Re-reads messages by id, with their attachments (Realtime rows carry none). */
export async function fetchMessagesByIds(client: DeskClient, ids: readonly string[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const result = await client.from('messages').select(MESSAGE_SELECT).in('id', [...ids]);
  return parseMessages(unwrapRows(result));
}
