// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { createFakeSupabase, json } from '@/test/fake-supabase';

import { defaultTicketFilters } from './filters';
import { fetchTicketPage, TICKET_PAGE_SIZE } from './tickets-api';

const row = {
  id: 't1',
  number: 7,
  customer_id: 'c1',
  subject: 'Refund please',
  status: 'open',
  priority: 'high',
  assignee_id: null,
  created_at: '2026-11-27T10:00:00+00:00',
  updated_at: '2026-11-27T10:00:00+00:00',
  last_message_at: '2026-11-27T10:00:00+00:00',
  first_response_at: null,
  resolved_at: null,
  closed_at: null,
  customer: { id: 'c1', email: 'ada@example.com', name: 'Ada' },
};

function setup(status = 200) {
  const fake = createFakeSupabase();
  fake.backend.on('GET', '/rest/v1/tickets', () =>
    json(status === 200 ? [row] : { message: 'range' }, status, { 'content-range': '50-50/51' }),
  );
  return fake;
}

describe('fetchTicketPage', () => {
  it('asks for one page of 50 with an exact count, newest first', async () => {
    const { client, backend } = setup();
    const page = await fetchTicketPage(client, { ...defaultTicketFilters, page: 1 }, 'me');
    const [request] = backend.to('/rest/v1/tickets');
    expect(request?.url.searchParams.get('order')).toBe('created_at.desc,id.desc');
    expect(request?.url.searchParams.get('offset')).toBe(String(TICKET_PAGE_SIZE));
    expect(request?.url.searchParams.get('limit')).toBe(String(TICKET_PAGE_SIZE));
    expect(request?.headers.get('prefer')).toContain('count=exact');
    expect(page.total).toBe(51);
    expect(page.tickets[0]).toMatchObject({ number: 7, customer: { email: 'ada@example.com' } });
  });

  it('filters by status, priority, the agent and the created range', async () => {
    const { client, backend } = setup();
    await fetchTicketPage(
      client,
      { ...defaultTicketFilters, status: 'pending', priority: 'urgent', assignee: 'me', from: '2026-11-01', to: '2026-11-30' },
      'agent-1',
    );
    const params = backend.to('/rest/v1/tickets')[0]!.url.searchParams;
    expect(params.get('status')).toBe('eq.pending');
    expect(params.get('priority')).toBe('eq.urgent');
    expect(params.get('assignee_id')).toBe('eq.agent-1');
    expect(params.getAll('created_at')).toEqual([
      `gte.${new Date('2026-11-01T00:00:00').toISOString()}`,
      `lt.${new Date('2026-12-01T00:00:00').toISOString()}`,
    ]);
  });

  it('finds unassigned tickets with is.null', async () => {
    const { client, backend } = setup();
    await fetchTicketPage(client, { ...defaultTicketFilters, assignee: 'unassigned' }, 'agent-1');
    expect(backend.to('/rest/v1/tickets')[0]!.url.searchParams.get('assignee_id')).toBe('is.null');
  });

  it('searches the subject or the customer email in one request', async () => {
    const { client, backend } = setup();
    await fetchTicketPage(client, { ...defaultTicketFilters, q: 'ada@ex' }, 'agent-1');
    const params = backend.to('/rest/v1/tickets')[0]!.url.searchParams;
    expect(params.get('select')).toContain('email_match:customers(id)');
    expect(params.get('email_match.email')).toBe('ilike.*ada@ex*');
    expect(params.get('or')).toBe('(subject.ilike.*ada@ex*,email_match.not.is.null)');
  });

  it('quotes search terms with reserved characters', async () => {
    const { client, backend } = setup();
    await fetchTicketPage(client, { ...defaultTicketFilters, q: 'v1.2, (beta)' }, 'agent-1');
    expect(backend.to('/rest/v1/tickets')[0]!.url.searchParams.get('or')).toBe(
      '(subject.ilike."*v1.2, (beta)*",email_match.not.is.null)',
    );
  });

  it('shows an empty page when the page is past the end (416)', async () => {
    const { client } = setup(416);
    const page = await fetchTicketPage(client, { ...defaultTicketFilters, page: 9 }, 'agent-1');
    expect(page.tickets).toEqual([]);
  });
});
