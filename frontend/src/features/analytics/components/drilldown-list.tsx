import CloseIcon from '@mui/icons-material/Close';
import Alert from '@mui/material/Alert';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link as RouterLink } from 'react-router-dom';

import { StatusChip } from '@/features/tickets/components/status-chip';
import { userMessage } from '@/lib/api-error';
import { useSupabase } from '@/lib/supabase-context';
import { formatDateTime } from '@/lib/time';

import { DRILLDOWN_LIMIT, fetchDrilldown } from '../data/analytics-api';
import type { DateRange } from '../data/date-range';
import { analyticsKeys } from '../data/query-keys';
import type { Drilldown } from '../data/schema';

export function drilldownTitle(selection: Drilldown): string {
  if (selection.kind === 'day') {
    return `Tickets created on ${selection.day}${selection.status ? `, now ${selection.status}` : ''}`;
  }
  const what = selection.metric === 'first_response' ? 'answered' : 'resolved';
  return `Tickets created in the week of ${selection.week} and ${what}`;
}

/** The tickets behind a clicked chart point; focus moves here so keyboard users land on it. */
export function DrilldownList({ range, selection, onClose }: { range: DateRange; selection: Drilldown; onClose: () => void }) {
  const client = useSupabase();
  const heading = useRef<HTMLHeadingElement>(null);
  const query = useQuery({
    queryKey: analyticsKeys.drilldown(range, selection),
    queryFn: () => fetchDrilldown(client, range, selection),
  });

  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [selection]);

  const tickets = query.data?.tickets ?? [];
  const total = query.data?.total ?? 0;
  return (
    <Card component="section" aria-labelledby="drilldown-heading">
      {query.isFetching && <LinearProgress aria-label="Loading tickets" />}
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography id="drilldown-heading" ref={heading} tabIndex={-1} component="h3" variant="h3">
            {drilldownTitle(selection)}
            {query.data ? ` (${total})` : ''}
          </Typography>
          <IconButton aria-label="Close ticket list" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Stack>
        {query.error && <Alert severity="error">{userMessage(query.error)}</Alert>}
        {query.data && tickets.length === 0 && <Typography color="text.secondary">No tickets.</Typography>}
        <List dense>
          {tickets.map((ticket) => (
            <ListItem key={ticket.id} divider sx={{ gap: 2 }}>
              <Link component={RouterLink} to={`/admin?ticket=${ticket.id}`} sx={{ fontWeight: 600 }}>
                #{ticket.number} {ticket.subject}
              </Link>
              <StatusChip status={ticket.status} />
              <Typography variant="caption" color="text.secondary" sx={{ ml: 'auto' }}>
                {formatDateTime(ticket.created_at)}
              </Typography>
            </ListItem>
          ))}
        </List>
        {total > DRILLDOWN_LIMIT && (
          <Typography variant="caption" color="text.secondary">
            Showing the first {DRILLDOWN_LIMIT} of {total}.
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}
