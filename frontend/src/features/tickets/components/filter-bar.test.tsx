import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { defaultTicketFilters, type TicketFilters } from '../data/filters';
import type { Agent } from '../data/schema';
import { FilterBar, SEARCH_DEBOUNCE_MS } from './filter-bar';

const agents: Agent[] = [
  { id: '5f0c7d1e-9a3b-4c2d-8e1f-0a1b2c3d4e5f', email: 'bo@example.com', display_name: 'Bo', role: 'agent' },
];

function setup(filters: TicketFilters = defaultTicketFilters) {
  const onApply = vi.fn();
  const view = render(<FilterBar filters={filters} agents={agents} onApply={onApply} />);
  return { onApply, view };
}

afterEach(() => vi.useRealTimers());

describe('FilterBar', () => {
  it('labels every control', () => {
    setup();
    for (const name of ['Search', 'Status', 'Priority', 'Assignee', 'Created from', 'Created to']) {
      expect(screen.getByLabelText(name)).toBeInTheDocument();
    }
    expect(screen.getByRole('search', { name: 'Filter tickets' })).toBeInTheDocument();
  });

  it('applies a status at once', async () => {
    const { onApply } = setup();
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'pending');
    await vi.waitFor(() => expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ status: 'pending' })));
  });

  it('applies an agent as assignee', async () => {
    const { onApply } = setup();
    await userEvent.selectOptions(screen.getByLabelText('Assignee'), 'Bo');
    await vi.waitFor(() => expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ assignee: agents[0]!.id })));
  });

  it('debounces the search and applies it trimmed once', async () => {
    vi.useFakeTimers();
    const { onApply } = setup();
    const search = screen.getByLabelText('Search');
    for (const text of ['r', 're', 'ref', 'refund ']) fireEvent.change(search, { target: { value: text } });
    act(() => vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 50));
    expect(onApply).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(60));
    expect(onApply).toHaveBeenCalledTimes(1);
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ q: 'refund' }));
  });

  it('refuses an end date before the start date and says why', async () => {
    const { onApply } = setup({ ...defaultTicketFilters, from: '2026-11-10' });
    fireEvent.change(screen.getByLabelText('Created to'), { target: { value: '2026-11-01' } });
    expect(await screen.findByText('The end date must be on or after the start date')).toBeInTheDocument();
    expect(screen.getByLabelText('Created to')).toHaveAttribute('aria-invalid', 'true');
    expect(onApply).not.toHaveBeenCalled();
  });

  it('clears every filter', async () => {
    const { onApply } = setup({ ...defaultTicketFilters, status: 'open', q: 'x' });
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ status: 'all', q: '', priority: 'all', assignee: 'all' }));
    expect(screen.getByLabelText('Search')).toHaveValue('');
  });

  it('shows filters that change in the URL (back button)', () => {
    const { view } = setup();
    view.rerender(<FilterBar filters={{ ...defaultTicketFilters, status: 'resolved' }} agents={agents} onApply={vi.fn()} />);
    expect(screen.getByLabelText('Status')).toHaveValue('resolved');
  });
});
