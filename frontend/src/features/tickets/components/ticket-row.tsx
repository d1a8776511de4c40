import MoreVertIcon from '@mui/icons-material/MoreVert';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { memo, type MouseEvent } from 'react';
import { Link as RouterLink } from 'react-router-dom';

import { formatDateTime } from '@/lib/time';

import type { Ticket } from '../data/schema';
import { PriorityChip } from './priority-chip';
import { StatusChip } from './status-chip';

export interface MenuRequest {
  ticket: Ticket;
  anchor: HTMLElement | null;
  position: { top: number; left: number } | null;
}

interface TicketRowProps {
  ticket: Ticket;
  assigneeName: string | null;
  href: string;
  onOpen: (ticketId: string) => void;
  onMenu: (request: MenuRequest) => void;
}

/** One ticket. Memoized: a live update re-renders only the rows whose ticket changed. */
export const TicketRow = memo(function TicketRow({ ticket, assigneeName, href, onOpen, onMenu }: TicketRowProps) {
  const openFromRow = (event: MouseEvent) => {
    if ((event.target as HTMLElement).closest('a,button')) return;
    onOpen(ticket.id);
  };
  const openMenuAtPointer = (event: MouseEvent) => {
    event.preventDefault();
    onMenu({ ticket, anchor: null, position: { top: event.clientY, left: event.clientX } });
  };

  return (
    <TableRow hover onClick={openFromRow} onContextMenu={openMenuAtPointer} sx={{ cursor: 'pointer' }}>
      <TableCell sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>#{ticket.number}</TableCell>
      <TableCell sx={{ maxWidth: 360 }}>
        <Link component={RouterLink} to={href} underline="hover" color="inherit" sx={{ fontWeight: 600 }}>
          {ticket.subject}
        </Link>
      </TableCell>
      <TableCell>
        <Typography variant="body2" noWrap title={ticket.customer?.email ?? undefined}>
          {ticket.customer?.name ?? ticket.customer?.email ?? '—'}
        </Typography>
      </TableCell>
      <TableCell>
        <StatusChip status={ticket.status} />
      </TableCell>
      <TableCell>
        <PriorityChip priority={ticket.priority} />
      </TableCell>
      <TableCell>{assigneeName ?? <Typography variant="body2" color="text.secondary">Unassigned</Typography>}</TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(ticket.last_message_at)}</TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(ticket.created_at)}</TableCell>
      <TableCell padding="checkbox">
        <IconButton
          aria-label="Ticket actions"
          aria-haspopup="menu"
          onClick={(event) => onMenu({ ticket, anchor: event.currentTarget, position: null })}
        >
          <MoreVertIcon />
        </IconButton>
      </TableCell>
    </TableRow>
  );
});
