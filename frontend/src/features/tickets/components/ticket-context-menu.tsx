import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';

import { nextStatuses } from '../data/display';
import { ticketPriorities } from '../data/schema';
import { useUpdateTicket, type TicketChange } from '../hooks/use-ticket-mutations';
import type { MenuRequest } from './ticket-row';

interface TicketContextMenuProps {
  request: MenuRequest;
  agentId: string;
  onClose: () => void;
}

/** Row actions: assign to me, the status moves the lifecycle allows, priority. */
export function TicketContextMenu({ request, agentId, onClose }: TicketContextMenuProps) {
  const { ticket } = request;
  const update = useUpdateTicket(ticket.id);
  const statuses = nextStatuses(ticket.status);
  const run = (change: TicketChange) => {
    update.mutate(change);
    onClose();
  };

  return (
    <Menu
      open
      onClose={onClose}
      anchorEl={request.anchor}
      anchorReference={request.position ? 'anchorPosition' : 'anchorEl'}
      anchorPosition={request.position ?? undefined}
      slotProps={{ list: { 'aria-label': `Actions for ticket #${ticket.number}`, dense: true } }}
    >
      <MenuItem divider disabled={ticket.assignee_id === agentId} onClick={() => run({ kind: 'assignee', assigneeId: agentId })}>
        Assign to me
      </MenuItem>
      {statuses.map((status, index) => (
        <MenuItem key={status} divider={index === statuses.length - 1} onClick={() => run({ kind: 'status', status })}>
          Set status: {status}
        </MenuItem>
      ))}
      {ticketPriorities
        .filter((priority) => priority !== ticket.priority)
        .map((priority) => (
          <MenuItem key={priority} onClick={() => run({ kind: 'priority', priority })}>
            Set priority: {priority}
          </MenuItem>
        ))}
    </Menu>
  );
}
