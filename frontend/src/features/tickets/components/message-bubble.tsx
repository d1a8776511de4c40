import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { memo } from 'react';

import { formatDateTime, formatTime } from '@/lib/time';

import type { Message } from '../data/schema';
import { AttachmentLink } from './attachment-link';

export type BubbleSide = 'customer' | 'agent' | 'system';

export function bubbleSx(side: BubbleSide) {
  return {
    alignSelf: side === 'agent' ? 'flex-end' : side === 'system' ? 'center' : 'flex-start',
    maxWidth: '80%',
    px: 1.5,
    py: 1,
    borderRadius: 2,
    border: 1,
    borderColor: side === 'agent' ? 'primary.light' : 'divider',
    bgcolor: side === 'agent' ? 'primary.light' : side === 'system' ? 'background.default' : 'background.paper',
  } as const;
}

interface MessageBubbleProps {
  message: Message;
  author: string;
}

/** One message. Memoized: new messages do not re-render the ones already shown. */
export const MessageBubble = memo(function MessageBubble({ message, author }: MessageBubbleProps) {
  const side: BubbleSide = message.sender_type === 'admin' ? 'agent' : message.sender_type;
  return (
    <Box component="article" aria-label={`${author}, ${formatDateTime(message.created_at)}`} sx={bubbleSx(side)}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', mb: 0.5 }}>
        <Typography variant="caption" sx={{ fontWeight: 600 }}>
          {author}
        </Typography>
        <Typography component="time" variant="caption" color="text.secondary" dateTime={message.created_at}>
          {formatTime(message.created_at)}
        </Typography>
      </Stack>
      <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {message.content}
      </Typography>
      {message.attachments && message.attachments.length > 0 && (
        <Stack spacing={0.5} sx={{ mt: 1 }}>
          {message.attachments.map((attachment) => (
            <AttachmentLink key={attachment.id} attachment={attachment} />
          ))}
        </Stack>
      )}
    </Box>
  );
});
