import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { ApiError, isRetryable, userMessage } from '@/lib/api-error';
import { useSupabase } from '@/lib/supabase-context';
import { randomId } from '@/lib/uuid';

import { addMessage, uploadAttachment } from '../data/functions-api';
import { ticketKeys } from '../data/query-keys';
import { addPending, emptyConversation, mergeMessages, removePending, updatePending, type ConversationState } from './merge';
import { sendJobs, type SendJob } from './send-jobs';

export const SEND_RETRIES = 3;

export function sendErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'ticket_closed') return 'The ticket is closed; this message was not sent.';
  return userMessage(error);
}

/**
 * Optimistic sends: the message shows at once under a fresh client_id; network failures are
 * retried with the *same* client_id (add-message answers 200 with the stored message), so a
 * retry never doubles it.
 */
export function useSendMessage(ticketId: string) {
  const client = useSupabase();
  const queryClient = useQueryClient();
  const key = ticketKeys.messages(ticketId);
  const update = useCallback(
    (change: (state: ConversationState) => ConversationState) =>
      queryClient.setQueryData<ConversationState>(key, (state) => change(state ?? emptyConversation())),
    [queryClient, key],
  );

  const mutation = useMutation({
    mutationFn: async (job: SendJob) => {
      if (job.files.length > 0 && !job.uploaded) {
        job.uploaded = await Promise.all(job.files.map((file) => uploadAttachment(client, job.ticketId, file)));
      }
      return addMessage(client, {
        ticket_id: job.ticketId,
        content: job.content,
        client_id: job.clientId,
        ...(job.uploaded?.length ? { attachments: job.uploaded } : {}),
      });
    },
    retry: (failures, error) => failures < SEND_RETRIES && isRetryable(error),
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5_000),
    meta: { silent: true },
    onSuccess: (result, job) => {
      sendJobs.done(job.clientId);
      update((state) => mergeMessages(state, [{ ...result.message, attachments: result.attachments }]));
    },
    onError: (error, job) => {
      update((state) => updatePending(state, job.clientId, { state: 'failed', error: sendErrorMessage(error) }));
    },
  });
  const { mutate } = mutation;

  const send = useCallback(
    (content: string, files: readonly File[]) => {
      const job: SendJob = { clientId: randomId(), ticketId, content, files };
      sendJobs.put(job);
      update((state) =>
        addPending(state, {
          client_id: job.clientId,
          ticket_id: ticketId,
          content,
          created_at: new Date().toISOString(),
          fileNames: files.map((file) => file.name),
          state: 'sending',
        }),
      );
      mutate(job);
    },
    [mutate, ticketId, update],
  );

  const retry = useCallback(
    (clientId: string) => {
      const job = sendJobs.get(clientId);
      if (!job) return update((state) => removePending(state, clientId));
      update((state) => updatePending(state, clientId, { state: 'sending' }));
      mutate(job);
    },
    [mutate, update],
  );

  const discard = useCallback(
    (clientId: string) => {
      sendJobs.done(clientId);
      update((state) => removePending(state, clientId));
    },
    [update],
  );

  return { send, retry, discard };
}
