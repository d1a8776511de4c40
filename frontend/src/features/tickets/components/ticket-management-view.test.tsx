import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';

import { AppProviders } from '@/app';
import { ProtectedRoute } from '@/features/auth/protected-route';
import { TicketsPage } from '@/routes/tickets-page';
import { createFakeSupabase, json } from '@/test/fake-supabase';
import { AGENT, renderAsAgent } from '@/test/render';

const ticket = {
  id: '44444444-4444-4444-8444-444444444444',
  number: 7,
  customer_id: 'c1',
  subject: 'Cannot log in',
  status: 'open',
  priority: 'normal',
  assignee_id: null,
  created_at: '2026-11-27T10:00:00+00:00',
  updated_at: '2026-11-27T10:00:00+00:00',
  last_message_at: '2026-11-27T10:05:00+00:00',
  first_response_at: null,
  resolved_at: null,
  closed_at: null,
  customer: { id: 'c1', email: 'ada@example.com', name: 'Ada Lovelace' },
};

function backendWithTickets() {
  const fake = createFakeSupabase();
  fake.backend.on('GET', '/rest/v1/tickets', () => json([ticket], 200, { 'content-range': '0-0/1' }));
  fake.backend.on('PATCH', '/rest/v1/tickets', (request) => json({ ...ticket, ...(request.body as object) }));
  fake.backend.on('POST', '/functions/v1/update-ticket-status', (request) =>
    json({ ticket: { ...ticket, status: (request.body as { status: string }).status } }),
  );
  fake.backend.on('GET', '/rest/v1/messages', () => json([]));
  return fake;
}

describe('TicketManagementView', () => {
  it('lists tickets with number, subject, customer and status', async () => {
    const fake = backendWithTickets();
    await renderAsAgent(<TicketsPage />, fake);
    const row = (await screen.findByRole('link', { name: 'Cannot log in' })).closest('tr')!;
    expect(within(row).getByText('#7')).toBeInTheDocument();
    expect(within(row).getByText('Ada Lovelace')).toBeInTheDocument();
    expect(within(row).getByText('Open')).toBeInTheDocument();
    expect(screen.getByText('1–1 of 1')).toBeInTheDocument();
  });

  it('offers the row actions and assigns a ticket to the agent', async () => {
    const fake = backendWithTickets();
    await renderAsAgent(<TicketsPage />, fake);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Ticket actions' }));
    const menu = await screen.findByRole('menu');
    const items = within(menu).getAllByRole('menuitem').map((item) => item.textContent);
    expect(items).toEqual([
      'Assign to me',
      'Set status: pending',
      'Set status: resolved',
      'Set status: closed',
      'Set priority: low',
      'Set priority: high',
      'Set priority: urgent',
    ]);
    await user.click(within(menu).getByRole('menuitem', { name: 'Assign to me' }));
    await waitFor(() => expect(fake.backend.to('/rest/v1/tickets', 'PATCH')).toHaveLength(1));
    const patch = fake.backend.to('/rest/v1/tickets', 'PATCH')[0]!;
    expect(patch.url.searchParams.get('id')).toBe(`eq.${ticket.id}`);
    expect(patch.body).toEqual({ assignee_id: AGENT.id });
  });

  it('changes status through the update-ticket-status function', async () => {
    const fake = backendWithTickets();
    await renderAsAgent(<TicketsPage />, fake);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Ticket actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Set status: resolved' }));
    await waitFor(() => expect(fake.backend.to('/functions/v1/update-ticket-status')).toHaveLength(1));
    expect(fake.backend.to('/functions/v1/update-ticket-status')[0]?.body).toEqual({ ticket_id: ticket.id, status: 'resolved' });
  });

  it('sorts on the server when a column header is clicked', async () => {
    const fake = backendWithTickets();
    await renderAsAgent(<TicketsPage />, fake);
    await userEvent.click(await screen.findByRole('button', { name: 'Subject' }));
    await waitFor(() =>
      expect(fake.backend.to('/rest/v1/tickets').at(-1)?.url.searchParams.get('order')).toBe('subject.asc,id.asc'),
    );
  });
});

function Where() {
  const location = useLocation();
  return <p>at {`${location.pathname}${location.search}`}</p>;
}

describe('ProtectedRoute', () => {
  it('sends a signed-out visitor to /login with the URL they wanted', async () => {
    const fake = createFakeSupabase();
    render(
      <AppProviders client={fake.client}>
        <MemoryRouter initialEntries={['/admin?status=open']}>
          <Routes>
            <Route path="/admin" element={<ProtectedRoute>secret</ProtectedRoute>} />
            <Route path="/login" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </AppProviders>,
    );
    expect(await screen.findByText('at /login?redirect=%2Fadmin%3Fstatus%3Dopen')).toBeInTheDocument();
    expect(screen.queryByText('secret')).not.toBeInTheDocument();
  });
});
