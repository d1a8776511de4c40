// @vitest-environment node
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { analyticsKeys } from '@/features/analytics/data/query-keys';

import { defaultTicketFilters } from './filters';
import { agentKeys, attachmentKeys, ticketKeys } from './query-keys';

const startsWith = (key: readonly unknown[], prefix: readonly unknown[]) =>
  prefix.every((part, index) => JSON.stringify(key[index]) === JSON.stringify(part));

describe('ticketKeys', () => {
  it('nests list, detail and messages under tickets', () => {
    const list = ticketKeys.list(defaultTicketFilters, 'agent-1');
    expect(startsWith(list, ticketKeys.lists())).toBe(true);
    expect(startsWith(ticketKeys.lists(), ticketKeys.all)).toBe(true);
    expect(startsWith(ticketKeys.messages('t1'), ticketKeys.detail('t1'))).toBe(true);
    expect(startsWith(ticketKeys.detail('t1'), ticketKeys.details())).toBe(true);
  });

  it('gives different filters and different agents different list keys', () => {
    const open = ticketKeys.list({ ...defaultTicketFilters, status: 'open' }, 'a1');
    expect(open).not.toEqual(ticketKeys.list(defaultTicketFilters, 'a1'));
    expect(ticketKeys.list(defaultTicketFilters, 'a1')).not.toEqual(ticketKeys.list(defaultTicketFilters, 'a2'));
  });

  it('keeps families apart', () => {
    expect(startsWith(attachmentKeys.downloadUrl('x'), ticketKeys.all)).toBe(false);
    expect(startsWith(agentKeys.list(), ticketKeys.all)).toBe(false);
    expect(startsWith(analyticsKeys.metrics({ from: '2026-01-01', to: '2026-01-31' }), ticketKeys.all)).toBe(false);
  });
});

describe('invalidation through the hierarchy', () => {
  function seeded() {
    const client = new QueryClient();
    const keys = {
      list: ticketKeys.list(defaultTicketFilters, 'a1'),
      detail: ticketKeys.detail('t1'),
      messages: ticketKeys.messages('t1'),
      agents: agentKeys.list(),
    };
    for (const key of Object.values(keys)) client.setQueryData(key, { seeded: true });
    const stale = () =>
      Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, client.getQueryState(key)?.isInvalidated]));
    return { client, stale };
  }

  it('lists() refreshes only the lists', async () => {
    const { client, stale } = seeded();
    await client.invalidateQueries({ queryKey: ticketKeys.lists() });
    expect(stale()).toEqual({ list: true, detail: false, messages: false, agents: false });
  });

  it('all refreshes every ticket query (the resync after a reconnect) but not agents', async () => {
    const { client, stale } = seeded();
    await client.invalidateQueries({ queryKey: ticketKeys.all });
    expect(stale()).toEqual({ list: true, detail: true, messages: true, agents: false });
  });

  it('detail(id) also refreshes that conversation', async () => {
    const { client, stale } = seeded();
    await client.invalidateQueries({ queryKey: ticketKeys.detail('t1') });
    expect(stale()).toEqual({ list: false, detail: true, messages: true, agents: false });
  });
});
