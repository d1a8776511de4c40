import type { ChipProps } from '@mui/material/Chip';

import type { TicketPriority, TicketStatus } from './schema';

export const statusLabel: Record<TicketStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const priorityLabel: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const statusColor: Record<TicketStatus, ChipProps['color']> = {
  open: 'info',
  pending: 'warning',
  resolved: 'success',
  closed: 'default',
};

export const priorityColor: Record<TicketPriority, ChipProps['color']> = {
  low: 'default',
  normal: 'default',
  high: 'warning',
  urgent: 'error',
};

/** The lifecycle enforced by the database trigger and the update-ticket-status function. */
const transitions: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

export function nextStatuses(current: TicketStatus): readonly TicketStatus[] {
  return transitions[current];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || transitions[from].includes(to);
}
