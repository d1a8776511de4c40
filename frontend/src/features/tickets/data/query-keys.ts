import type { TicketFilters } from './filters';

/**
 * Hierarchical query keys: invalidating `ticketKeys.all` refreshes every list, ticket and
 * conversation; `ticketKeys.lists()` only the lists.
 */
export const ticketKeys = {
  all: ['tickets'] as const,
  lists: () => [...ticketKeys.all, 'list'] as const,
  list: (filters: TicketFilters, agentId: string) => [...ticketKeys.lists(), { ...filters, agentId }] as const,
  details: () => [...ticketKeys.all, 'detail'] as const,
  detail: (ticketId: string) => [...ticketKeys.details(), ticketId] as const,
  messages: (ticketId: string) => [...ticketKeys.detail(ticketId), 'messages'] as const,
};

export const attachmentKeys = {
  all: ['attachments'] as const,
  downloadUrl: (attachmentId: string) => [...attachmentKeys.all, 'download-url', attachmentId] as const,
};

export const agentKeys = {
  all: ['agents'] as const,
  list: () => [...agentKeys.all, 'list'] as const,
};
