import { useSearchParams } from 'react-router-dom';

import { TicketManagementView } from '@/features/tickets/components/ticket-management-view';
import { parseTicketFilters } from '@/features/tickets/data/filters';

/** /admin (Tickets tab): validates the URL state and renders the view. */
export function TicketsPage() {
  const [params] = useSearchParams();
  return <TicketManagementView filters={parseTicketFilters(params)} openTicketId={params.get('ticket')} />;
}
