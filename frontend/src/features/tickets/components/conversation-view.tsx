import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { useLayoutEffect, useRef } from 'react';

import { userMessage } from '@/lib/api-error';

import type { Message } from '../data/schema';
import type { useConversation } from '../conversation/use-conversation';
import { MessageBubble } from './message-bubble';
import { PendingBubble } from './pending-bubble';

/** Scrolling this close to the top loads the previous 50 messages. */
const LOAD_OLDER_THRESHOLD_PX = 80;
const NEAR_BOTTOM_PX = 120;

interface ConversationViewProps {
  conversation: ReturnType<typeof useConversation>;
  customerName: string;
  agentNames: ReadonlyMap<string, string>;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

function authorOf(message: Message, customerName: string, agentNames: ReadonlyMap<string, string>): string {
  if (message.sender_type === 'customer') return customerName;
  if (message.sender_type === 'system') return 'supadesk';
  return (message.sender_id && agentNames.get(message.sender_id)) || 'Agent';
}

/**
 * The message log, newest at the bottom. Keeps the reading position when older messages are
 * prepended and follows new ones only when the agent is already at the bottom.
 */
export function ConversationView({ conversation, customerName, agentNames, onRetry, onDiscard }: ConversationViewProps) {
  const { state, isPending, error, loadOlder, loadingOlder } = conversation;
  const scroller = useRef<HTMLDivElement>(null);
  const previous = useRef({ first: '', last: '', pending: 0, height: 0, nearBottom: true });

  const messages = state?.messages ?? [];
  const pending = state?.pending ?? [];
  const first = messages[0]?.id ?? '';
  const last = messages[messages.length - 1]?.id ?? '';

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const before = previous.current;
    const prepended = before.first !== '' && first !== before.first && last === before.last;
    if (prepended) {
      element.scrollTop += element.scrollHeight - before.height;
    } else if (before.nearBottom || pending.length > before.pending) {
      element.scrollTop = element.scrollHeight;
    }
    previous.current = { first, last, pending: pending.length, height: element.scrollHeight, nearBottom: before.nearBottom };
  }, [first, last, pending.length]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    previous.current.nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
    previous.current.height = element.scrollHeight;
    if (element.scrollTop < LOAD_OLDER_THRESHOLD_PX && state?.hasOlder && !loadingOlder) void loadOlder();
  };

  return (
    <Box
      ref={scroller}
      role="log"
      aria-label="Conversation"
      tabIndex={0}
      onScroll={onScroll}
      sx={{
        flex: 1,
        minHeight: 240,
        overflowY: 'auto',
        display: 'flex',
        flexDirection: 'column',
        gap: 1,
        p: 1,
        bgcolor: 'background.default',
        borderRadius: 1,
      }}
    >
      {state?.hasOlder && (
        <Button size="small" onClick={() => void loadOlder()} loading={loadingOlder} sx={{ alignSelf: 'center' }}>
          Load older messages
        </Button>
      )}
      {isPending && <CircularProgress aria-label="Loading conversation" sx={{ alignSelf: 'center', my: 4 }} />}
      {error && !state && <Alert severity="error">{userMessage(error)}</Alert>}
      {state && messages.length === 0 && pending.length === 0 && (
        <Typography color="text.secondary" sx={{ alignSelf: 'center', my: 4 }}>
          No messages yet.
        </Typography>
      )}
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} author={authorOf(message, customerName, agentNames)} />
      ))}
      {pending.map((item) => (
        <PendingBubble key={item.client_id} item={item} onRetry={onRetry} onDiscard={onDiscard} />
      ))}
    </Box>
  );
}
