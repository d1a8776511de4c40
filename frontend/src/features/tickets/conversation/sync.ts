import type { DeskClient } from '@/lib/supabase-client';

import { fetchLatestMessages, fetchMessagesSince, MESSAGE_PAGE_SIZE } from '../data/messages-api';
import { emptyConversation, mergeMessages, newestCursor, type ConversationState } from './merge';

/** Re-reads a margin before the cursor: a row committed late may carry an earlier created_at. */
export const CATCH_UP_OVERLAP_MICROS = 5_000_000;

/**
 * The conversation query's fetch. First time: the newest page. Afterwards (reconnect, tab back,
 * reopening the dialog): only what is at or after the newest message held, so a long gap loads
 * completely instead of leaving a hole behind the newest page. `current` is read again *after*
 * the network call so rows merged meanwhile (Realtime, a send) are kept.
 */
export async function syncConversation(
  client: DeskClient,
  ticketId: string,
  current: () => ConversationState | undefined,
): Promise<ConversationState> {
  const before = current();
  const cursor = before ? newestCursor(before) : null;
  if (!before || !cursor) {
    const rows = await fetchLatestMessages(client, ticketId);
    const base = current() ?? emptyConversation();
    return mergeMessages({ ...base, hasOlder: rows.length >= MESSAGE_PAGE_SIZE }, rows);
  }
  const micros = Math.max(0, cursor.micros - CATCH_UP_OVERLAP_MICROS);
  const since = { ...cursor, micros, createdAt: new Date(Math.floor(micros / 1000)).toISOString() };
  const rows = await fetchMessagesSince(client, ticketId, since);
  return mergeMessages(current() ?? before, rows);
}
