// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { defaultTicketFilters, filterFormSchema, parseTicketFilters, writeTicketFilters } from './filters';

const agentId = '5f0c7d1e-9a3b-4c2d-8e1f-0a1b2c3d4e5f';

describe('parseTicketFilters', () => {
  it('reads valid values from the URL', () => {
    const filters = parseTicketFilters(
      new URLSearchParams(`status=pending&priority=urgent&assignee=${agentId}&q=refund&from=2026-11-01&to=2026-11-30&sort=number&dir=asc&page=2`),
    );
    expect(filters).toEqual({
      status: 'pending',
      priority: 'urgent',
      assignee: agentId,
      q: 'refund',
      from: '2026-11-01',
      to: '2026-11-30',
      sort: 'number',
      dir: 'asc',
      page: 2,
    });
  });

  it('falls back to defaults for bad values instead of failing', () => {
    const filters = parseTicketFilters(new URLSearchParams('status=lost&assignee=bob&sort=password&page=-3&from=yesterday'));
    expect(filters).toEqual(defaultTicketFilters);
  });

  it('defaults to all tickets, newest first, first page', () => {
    expect(defaultTicketFilters).toMatchObject({ status: 'all', assignee: 'all', sort: 'created_at', dir: 'desc', page: 0 });
  });
});

describe('writeTicketFilters', () => {
  it('omits defaults and keeps unrelated params such as the open ticket', () => {
    const params = writeTicketFilters({ ...defaultTicketFilters, status: 'open' }, new URLSearchParams('ticket=t1&page=3'));
    expect(params.toString()).toBe('ticket=t1&status=open');
  });

  it('round-trips', () => {
    const filters = { ...defaultTicketFilters, q: 'a b', priority: 'high' as const, page: 4 };
    expect(parseTicketFilters(writeTicketFilters(filters))).toEqual(filters);
  });
});

describe('filterFormSchema', () => {
  const valid = { status: 'all', priority: 'all', assignee: 'all', q: '', from: '', to: '' };

  it('accepts an open-ended or ordered date range', () => {
    expect(filterFormSchema.safeParse({ ...valid, from: '2026-11-01' }).success).toBe(true);
    expect(filterFormSchema.safeParse({ ...valid, from: '2026-11-01', to: '2026-11-01' }).success).toBe(true);
  });

  it('rejects an end date before the start date, on the end field', () => {
    const result = filterFormSchema.safeParse({ ...valid, from: '2026-11-02', to: '2026-11-01' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['to'], message: 'The end date must be on or after the start date' });
  });

  it('limits the search text and trims it', () => {
    expect(filterFormSchema.safeParse({ ...valid, q: 'x'.repeat(101) }).error?.issues[0]?.message).toBe(
      'Search is limited to 100 characters',
    );
    expect(filterFormSchema.parse({ ...valid, q: '  refund ' }).q).toBe('refund');
  });
});
