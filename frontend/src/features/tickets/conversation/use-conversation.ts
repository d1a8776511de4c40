import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';

import { useDeskEvent } from '@/features/realtime/desk-feed-provider';
import { userMessage } from '@/lib/api-error';
import { useSupabase } from '@/lib/supabase-context';
import { toasts } from '@/lib/toast-store';

import { fetchMessagesByIds, fetchOlderMessages, MESSAGE_PAGE_SIZE } from '../data/messages-api';
import { ticketKeys } from '../data/query-keys';
import { mergeMessages, mergeOlderPage, oldestCursor, type ConversationState } from './merge';
import { syncConversation } from './sync';

/** Realtime rows come without attachments; re-read them shortly after, in one batch. */
const ATTACHMENT_REFRESH_MS = 400;

/**
 * One ticket's conversation: newest 50 first, older pages on demand, Realtime inserts merged as
 * they come, and a catch-up by cursor whenever the query refetches (resync or reopening).
 */
export function useConversation(ticketId: string, agentId: string) {
  const client = useSupabase();
  const queryClient = useQueryClient();
  const key = ticketKeys.messages(ticketId);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const olderInFlight = useRef(false);
  const refreshIds = useRef(new Set<string>());
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const query = useQuery({
    queryKey: key,
    queryFn: () => syncConversation(client, ticketId, () => queryClient.getQueryData<ConversationState>(key)),
    staleTime: Infinity,
    refetchOnMount: 'always',
  });

  const merge = useCallback(
    (rows: Parameters<typeof mergeMessages>[1]) =>
      queryClient.setQueryData<ConversationState>(key, (state) => (state ? mergeMessages(state, rows) : state)),
    [queryClient, key],
  );

  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  useDeskEvent((event) => {
    if (event.type !== 'message-insert' || event.message.ticket_id !== ticketId) return;
    merge([event.message]);
    if (event.message.sender_id === agentId) return;
    refreshIds.current.add(event.message.id);
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      const ids = [...refreshIds.current];
      refreshIds.current.clear();
      fetchMessagesByIds(client, ids).then(merge, () => undefined);
    }, ATTACHMENT_REFRESH_MS);
  });

  const loadOlder = useCallback(async () => {
    const state = queryClient.getQueryData<ConversationState>(key);
    const cursor = state ? oldestCursor(state) : null;
    if (!state?.hasOlder || !cursor || olderInFlight.current) return;
    olderInFlight.current = true;
    setLoadingOlder(true);
    try {
      const rows = await fetchOlderMessages(client, ticketId, cursor);
      queryClient.setQueryData<ConversationState>(key, (current) =>
        current ? mergeOlderPage(current, rows, MESSAGE_PAGE_SIZE) : current,
      );
    } catch (error) {
      toasts.show(userMessage(error));
    } finally {
      olderInFlight.current = false;
      setLoadingOlder(false);
    }
  }, [client, queryClient, key, ticketId]);

  return { state: query.data, isPending: query.isPending, error: query.error, refetch: query.refetch, loadOlder, loadingOlder };
}
