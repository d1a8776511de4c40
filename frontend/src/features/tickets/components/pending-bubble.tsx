import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { memo } from 'react';

import type { PendingMessage } from '../conversation/merge';
import { bubbleSx } from './message-bubble';

interface PendingBubbleProps {
  item: PendingMessage;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** An optimistic message: "Sending…", or the failure with Retry (same client_id) and Discard. */
export const PendingBubble = memo(function PendingBubble({ item, onRetry, onDiscard }: PendingBubbleProps) {
  const failed = item.state === 'failed';
  return (
    <Box component="article" aria-label={failed ? 'Message not sent' : 'Message sending'} sx={{ ...bubbleSx('agent'), opacity: failed ? 1 : 0.75 }}>
      <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {item.content}
      </Typography>
      {item.fileNames.length > 0 && (
        <Typography variant="caption" color="text.secondary" component="p">
          Attachments: {item.fileNames.join(', ')}
        </Typography>
      )}
      {failed ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 0.5 }}>
          <Typography variant="caption" color="error" role="alert">
            {item.error ?? 'Not sent.'}
          </Typography>
          <Button size="small" onClick={() => onRetry(item.client_id)}>
            Retry
          </Button>
          <Button size="small" color="inherit" onClick={() => onDiscard(item.client_id)}>
            Discard
          </Button>
        </Stack>
      ) : (
        <Typography variant="caption" color="text.secondary">
          Sending…
        </Typography>
      )}
    </Box>
  );
});
