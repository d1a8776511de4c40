import { useEffect, useMemo, useRef, useState } from 'react';
import * as z from 'zod/v4/mini';

import { useChannelRegistry, useDeskEvent } from '@/features/realtime/desk-feed-provider';
import type { ChannelHandle } from '@/features/realtime/shared-channels';

import { createTypingNotifier } from './typing-notifier';

/** A visitor who stops sending `typing: true` stops showing as typing after this long. */
export const TYPING_EXPIRES_MS = 6_000;

const typingSchema = z.object({ sender_type: z.enum(['admin', 'customer']), typing: z.boolean() });

export const ticketTopic = (ticketId: string) => `ticket:${ticketId}`;

/**
 * The private `ticket:<uuid>` channel: shows the visitor's typing, sends the agent's (throttled).
 */
export function useTicketTyping(ticketId: string) {
  const registry = useChannelRegistry();
  const [customerTyping, setCustomerTyping] = useState(false);
  const handle = useRef<ChannelHandle | null>(null);
  const expiry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const notifier = useMemo(
    () =>
      createTypingNotifier((typing) => handle.current?.broadcast('typing', { sender_type: 'admin', typing })),
    [],
  );

  useEffect(() => {
    const current = registry.acquire(ticketTopic(ticketId), { broadcastEvents: ['typing'] }, (signal) => {
      if (signal.kind !== 'broadcast') return;
      const parsed = typingSchema.safeParse(signal.payload);
      if (!parsed.success || parsed.data.sender_type !== 'customer') return;
      clearTimeout(expiry.current);
      setCustomerTyping(parsed.data.typing);
      if (parsed.data.typing) expiry.current = setTimeout(() => setCustomerTyping(false), TYPING_EXPIRES_MS);
    });
    handle.current = current;
    return () => {
      notifier.stop();
      clearTimeout(expiry.current);
      handle.current = null;
      current.release();
    };
  }, [registry, ticketId, notifier]);

  // A message from the visitor ends their typing.
  useDeskEvent((event) => {
    if (event.type === 'message-insert' && event.message.ticket_id === ticketId && event.message.sender_type === 'customer') {
      clearTimeout(expiry.current);
      setCustomerTyping(false);
    }
  });

  return useMemo(
    () => ({ customerTyping, notifyTyping: () => notifier.keystroke(), stopTyping: () => notifier.stop() }),
    [customerTyping, notifier],
  );
}
