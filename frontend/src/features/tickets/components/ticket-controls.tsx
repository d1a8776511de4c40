import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';

import { canTransition, priorityLabel, statusLabel } from '../data/display';
import { ticketPriorities, ticketStatuses, type Agent, type Ticket } from '../data/schema';
import { useUpdateTicket } from '../hooks/use-ticket-mutations';

const UNASSIGNED = 'unassigned';

/** Status (through update-ticket-status), priority and assignee (REST). */
export function TicketControls({ ticket, agents }: { ticket: Ticket; agents: readonly Agent[] }) {
  const update = useUpdateTicket(ticket.id);
  const busy = update.isPending;

  return (
    <Stack component="section" aria-labelledby="ticket-controls-heading" spacing={2}>
      <Typography id="ticket-controls-heading" component="h3" variant="h3">
        Ticket
      </Typography>
      <TextField
        select
        label="Status"
        value={ticket.status}
        disabled={busy || ticket.status === 'closed'}
        helperText={ticket.status === 'closed' ? 'Closed tickets are final.' : undefined}
        onChange={(event) => update.mutate({ kind: 'status', status: event.target.value as Ticket['status'] })}
      >
        {ticketStatuses.map((status) => (
          <MenuItem key={status} value={status} disabled={!canTransition(ticket.status, status)}>
            {statusLabel[status]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Priority"
        value={ticket.priority}
        disabled={busy}
        onChange={(event) => update.mutate({ kind: 'priority', priority: event.target.value as Ticket['priority'] })}
      >
        {ticketPriorities.map((priority) => (
          <MenuItem key={priority} value={priority}>
            {priorityLabel[priority]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Assignee"
        value={ticket.assignee_id ?? UNASSIGNED}
        disabled={busy}
        onChange={(event) => update.mutate({ kind: 'assignee', assigneeId: event.target.value === UNASSIGNED ? null : event.target.value })}
      >
        <MenuItem value={UNASSIGNED}>Unassigned</MenuItem>
        {agents.map((agent) => (
          <MenuItem key={agent.id} value={agent.id}>
            {agent.display_name}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}
