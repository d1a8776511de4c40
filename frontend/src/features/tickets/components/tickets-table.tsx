import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useLocation } from 'react-router-dom';

import { visuallyHidden } from '@/theme/visually-hidden';

import type { SortColumn, TicketFilters } from '../data/filters';
import type { Agent } from '../data/schema';
import { TICKET_PAGE_SIZE, type TicketPage } from '../data/tickets-api';
import { TablePager } from './table-pager';
import { TicketRow, type MenuRequest } from './ticket-row';

/** The menu (with MUI's Popover/Modal) loads on first use; TicketManagementView prefetches it. */
export const loadTicketContextMenu = () => import('./ticket-context-menu');
const TicketContextMenu = lazy(() => loadTicketContextMenu().then((m) => ({ default: m.TicketContextMenu })));

const columns: { id: string; label: string; sort?: SortColumn }[] = [
  { id: 'number', label: 'Ticket', sort: 'number' },
  { id: 'subject', label: 'Subject', sort: 'subject' },
  { id: 'customer', label: 'Customer' },
  { id: 'status', label: 'Status', sort: 'status' },
  { id: 'priority', label: 'Priority', sort: 'priority' },
  { id: 'assignee', label: 'Assignee' },
  { id: 'last_message_at', label: 'Last activity', sort: 'last_message_at' },
  { id: 'created_at', label: 'Created', sort: 'created_at' },
];

interface TicketsTableProps {
  page: TicketPage | undefined;
  loading: boolean;
  filters: TicketFilters;
  agents: readonly Agent[];
  agentId: string;
  onChangeFilters: (next: Partial<TicketFilters>) => void;
  onOpenTicket: (ticketId: string) => void;
}

/** Server-side sorted and paginated (50 a page) ticket list with per-row actions. */
export function TicketsTable({ page, loading, filters, agents, agentId, onChangeFilters, onOpenTicket }: TicketsTableProps) {
  const { search } = useLocation();
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  const names = useMemo(() => new Map(agents.map((agent) => [agent.id, agent.display_name])), [agents]);
  const hrefFor = useCallback(
    (ticketId: string) => {
      const params = new URLSearchParams(search);
      params.set('ticket', ticketId);
      return `?${params.toString()}`;
    },
    [search],
  );

  const sortBy = (column: SortColumn) => {
    const textual = column === 'subject' || column === 'status' || column === 'priority';
    const dir = filters.sort === column ? (filters.dir === 'asc' ? 'desc' : 'asc') : textual ? 'asc' : 'desc';
    onChangeFilters({ sort: column, dir });
  };

  const tickets = page?.tickets ?? [];
  return (
    <Paper variant="outlined">
      <TableContainer>
        <Table size="small" aria-label="Tickets" aria-busy={loading}>
          <TableHead>
            <TableRow>
              {columns.map((column) => (
                <TableCell
                  key={column.id}
                  sortDirection={column.sort && filters.sort === column.sort ? filters.dir : false}
                >
                  {column.sort ? (
                    <TableSortLabel
                      active={filters.sort === column.sort}
                      direction={filters.sort === column.sort ? filters.dir : 'asc'}
                      onClick={() => column.sort && sortBy(column.sort)}
                    >
                      {column.label}
                    </TableSortLabel>
                  ) : (
                    column.label
                  )}
                </TableCell>
              ))}
              <TableCell padding="checkbox">
                <span style={visuallyHidden}>Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {tickets.map((ticket) => (
              <TicketRow
                key={ticket.id}
                ticket={ticket}
                assigneeName={ticket.assignee_id ? (names.get(ticket.assignee_id) ?? 'Unknown agent') : null}
                href={hrefFor(ticket.id)}
                onOpen={onOpenTicket}
                onMenu={setMenu}
              />
            ))}
            {page && tickets.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length + 1} sx={{ py: 6, textAlign: 'center', color: 'text.secondary' }}>
                  No tickets match these filters.
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePager
        page={filters.page}
        pageSize={TICKET_PAGE_SIZE}
        total={page?.total ?? 0}
        loading={loading}
        onPage={(next) => onChangeFilters({ page: next })}
      />
      {menu && (
        <Suspense fallback={null}>
          <TicketContextMenu request={menu} agentId={agentId} onClose={() => setMenu(null)} />
        </Suspense>
      )}
    </Paper>
  );
}
