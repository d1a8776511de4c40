import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';

import { useAgent } from '@/features/auth/auth-provider';
import { userMessage } from '@/lib/api-error';
import { useSupabase } from '@/lib/supabase-context';
import { visuallyHidden } from '@/theme/visually-hidden';

import { writeTicketFilters, type TicketFilters } from '../data/filters';
import { ticketKeys } from '../data/query-keys';
import { fetchTicketPage } from '../data/tickets-api';
import { useAgents } from '../hooks/use-agents';
import { FilterBar } from './filter-bar';
import { loadTicketContextMenu, TicketsTable } from './tickets-table';

const loadTicketDetail = () => import('./ticket-detail');
const TicketDetail = lazy(() => loadTicketDetail().then((m) => ({ default: m.TicketDetail })));

interface TicketManagementViewProps {
  filters: TicketFilters;
  openTicketId: string | null;
}

/** Tickets tab: filters and table driven by the URL, the ticket dialog by `?ticket=<id>`. */
export function TicketManagementView({ filters, openTicketId }: TicketManagementViewProps) {
  const client = useSupabase();
  const agent = useAgent();
  const [, setParams] = useSearchParams();
  const agents = useAgents();
  const list = useQuery({
    queryKey: ticketKeys.list(filters, agent.id),
    queryFn: () => fetchTicketPage(client, filters, agent.id),
    placeholderData: keepPreviousData,
  });

  // The dialog's and the menu's chunks load while the agent reads the list: opening is instant.
  useEffect(() => {
    const timer = setTimeout(() => {
      void loadTicketDetail().catch(() => undefined);
      void loadTicketContextMenu().catch(() => undefined);
    }, 1_500);
    return () => clearTimeout(timer);
  }, []);

  const applyFilters = useCallback(
    (next: Partial<TicketFilters>) =>
      setParams((prev) => writeTicketFilters({ ...filters, page: 0, ...next }, prev)),
    [filters, setParams],
  );
  const setTicket = useCallback(
    (ticketId: string | null) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (ticketId) next.set('ticket', ticketId);
        else next.delete('ticket');
        return next;
      }),
    [setParams],
  );

  return (
    <Stack spacing={2}>
      <Typography component="h2" sx={visuallyHidden}>
        Tickets
      </Typography>
      <FilterBar filters={filters} agents={agents.data ?? []} onApply={applyFilters} />
      {list.error && !list.data ? (
        <Alert
          severity="error"
          action={
            <Button color="inherit" onClick={() => void list.refetch()}>
              Retry
            </Button>
          }
        >
          {userMessage(list.error)}
        </Alert>
      ) : (
        <TicketsTable
          page={list.data}
          loading={list.isFetching}
          filters={filters}
          agents={agents.data ?? []}
          agentId={agent.id}
          onChangeFilters={applyFilters}
          onOpenTicket={setTicket}
        />
      )}
      {openTicketId && (
        <Suspense fallback={null}>
          <TicketDetail ticketId={openTicketId} onClose={() => setTicket(null)} />
        </Suspense>
      )}
    </Stack>
  );
}
