import CloseIcon from '@mui/icons-material/Close';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import { useMemo } from 'react';

import { useAgent } from '@/features/auth/auth-provider';
import { userMessage } from '@/lib/api-error';

import { useConversation } from '../conversation/use-conversation';
import { useSendMessage } from '../conversation/use-send-message';
import { useTicketTyping } from '../conversation/use-ticket-typing';
import { useAgents } from '../hooks/use-agents';
import { useTicket } from '../hooks/use-ticket';
import { ConversationView } from './conversation-view';
import { CustomerInfo } from './customer-info';
import { MessageInput } from './message-input';
import { TicketControls } from './ticket-controls';
import { TypingIndicator } from './typing-indicator';

const TITLE_ID = 'ticket-dialog-title';

/** The ticket dialog: conversation, reply box, controls and customer. Focus stays inside (MUI Dialog). */
export function TicketDetail({ ticketId, onClose }: { ticketId: string; onClose: () => void }) {
  const agent = useAgent();
  const ticket = useTicket(ticketId);
  const conversation = useConversation(ticketId, agent.id);
  const sender = useSendMessage(ticketId);
  const typing = useTicketTyping(ticketId);
  const agents = useAgents();
  const agentNames = useMemo(
    () => new Map((agents.data ?? []).map((entry) => [entry.id, entry.display_name])),
    [agents.data],
  );
  const data = ticket.data;

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby={TITLE_ID}
      slotProps={{ paper: { sx: { height: { md: '88vh' } } } }}
    >
      <DialogTitle id={TITLE_ID} sx={{ pr: 7 }}>
        {data ? `#${data.number} ${data.subject}` : 'Ticket'}
      </DialogTitle>
      <IconButton aria-label="Close" onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
        <CloseIcon />
      </IconButton>
      <DialogContent
        dividers
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) 300px' },
          minHeight: 0,
        }}
      >
        <Stack sx={{ minHeight: { xs: 420, md: 0 } }} spacing={1}>
          <ConversationView
            conversation={conversation}
            customerName={data?.customer?.name ?? data?.customer?.email ?? 'Customer'}
            agentNames={agentNames}
            onRetry={sender.retry}
            onDiscard={sender.discard}
          />
          <TypingIndicator active={typing.customerTyping} />
          <MessageInput
            closed={data?.status === 'closed'}
            onSend={(content, files) => {
              typing.stopTyping();
              sender.send(content, files);
            }}
            onTyping={typing.notifyTyping}
          />
        </Stack>
        <Box component="aside" aria-label="Ticket details">
          {ticket.error && <Alert severity="error">{userMessage(ticket.error)}</Alert>}
          {data ? (
            <Stack spacing={3}>
              <TicketControls ticket={data} agents={agents.data ?? []} />
              <CustomerInfo ticket={data} />
            </Stack>
          ) : (
            !ticket.error && <Skeleton variant="rounded" height={240} aria-label="Loading ticket" />
          )}
        </Box>
      </DialogContent>
    </Dialog>
  );
}
