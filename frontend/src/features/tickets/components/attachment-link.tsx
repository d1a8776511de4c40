import AttachFileIcon from '@mui/icons-material/AttachFile';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';

import { useSupabase } from '@/lib/supabase-context';

import { createDownloadUrl } from '../data/functions-api';
import { attachmentKeys } from '../data/query-keys';
import type { Attachment } from '../data/schema';

/** Refresh signed URLs this long before they expire, so a link on screen always works. */
const EXPIRY_MARGIN_S = 15;

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A download link (signed URL from get-signed-url) named by the file; images get a preview. */
export function AttachmentLink({ attachment }: { attachment: Attachment }) {
  const client = useSupabase();
  const url = useQuery({
    queryKey: attachmentKeys.downloadUrl(attachment.id),
    queryFn: () => createDownloadUrl(client, attachment.id),
    staleTime: (query) => Math.max(5, (query.state.data?.expires_in ?? 60) - EXPIRY_MARGIN_S) * 1000,
    refetchInterval: (query) => Math.max(5, (query.state.data?.expires_in ?? 60) - EXPIRY_MARGIN_S) * 1000,
    meta: { silent: true },
  });
  const href = url.data?.signed_url;
  const size = formatSize(attachment.size_bytes);

  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 0 }}>
      <AttachFileIcon fontSize="small" aria-hidden />
      {href ? (
        <Link href={href} download={attachment.file_name} target="_blank" rel="noopener noreferrer" sx={{ overflowWrap: 'anywhere' }}>
          {attachment.file_name}
        </Link>
      ) : (
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
          {attachment.file_name}
          {url.isError ? ' (link unavailable)' : ''}
        </Typography>
      )}
      {size && (
        <Typography variant="caption" color="text.secondary">
          {size}
        </Typography>
      )}
      {href && attachment.mime_type.startsWith('image/') && (
        <Box component="img" src={href} alt={`Preview of ${attachment.file_name}`} sx={{ maxHeight: 64, maxWidth: 96, borderRadius: 1 }} />
      )}
    </Stack>
  );
}
