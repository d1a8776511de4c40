// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { DeskClient } from '@/lib/supabase-client';

import { createChannelRegistry, type ChannelSignal } from './shared-channels';

/** The slice of supabase-js the registry uses; removal resolves when the test says so. */
function fakeClient() {
  const created: { topic: string; options: unknown; status?: (status: string) => void; sent: unknown[]; tracked: unknown[] }[] = [];
  const removals: (() => void)[] = [];
  const client = {
    channel(topic: string, options: unknown) {
      const entry = { topic, options, sent: [] as unknown[], tracked: [] as unknown[], status: undefined as ((status: string) => void) | undefined };
      created.push(entry);
      const channel = {
        on: () => channel,
        subscribe: (callback: (status: string) => void) => {
          entry.status = callback;
          return channel;
        },
        send: (message: unknown) => entry.sent.push(message),
        track: (payload: unknown) => entry.tracked.push(payload),
        presenceState: () => ({}),
      };
      return channel;
    },
    removeChannel: () => new Promise<string>((resolve) => removals.push(() => resolve('ok'))),
  };
  return { client: client as unknown as Pick<DeskClient, 'channel' | 'removeChannel'>, created, removals };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createChannelRegistry', () => {
  it('opens a private channel once per topic and shares it', () => {
    const { client, created } = fakeClient();
    const registry = createChannelRegistry(client);
    registry.acquire('ticket:t1', { broadcastEvents: ['typing'] }, () => {});
    registry.acquire('ticket:t1', { broadcastEvents: ['typing'] }, () => {});
    expect(created).toHaveLength(1);
    expect(created[0]?.options).toMatchObject({ config: { private: true } });
  });

  it('tells a late listener the current status, and only sends once joined', () => {
    const { client, created } = fakeClient();
    const registry = createChannelRegistry(client);
    const first = registry.acquire('ticket:t1', {}, () => {});
    first.broadcast('typing', { typing: true });
    expect(created[0]?.sent).toEqual([]);
    created[0]?.status?.('SUBSCRIBED');
    const signals: ChannelSignal[] = [];
    const second = registry.acquire('ticket:t1', {}, (signal) => signals.push(signal));
    expect(signals).toEqual([{ kind: 'status', status: 'SUBSCRIBED' }]);
    second.broadcast('typing', { sender_type: 'admin', typing: true });
    expect(created[0]?.sent).toEqual([{ type: 'broadcast', event: 'typing', payload: { sender_type: 'admin', typing: true } }]);
  });

  it('keeps a released channel for a while, so reopening the ticket reuses it', () => {
    const { client, created, removals } = fakeClient();
    const registry = createChannelRegistry(client, 5_000);
    registry.acquire('ticket:t1', {}, () => {}).release();
    vi.advanceTimersByTime(4_000);
    registry.acquire('ticket:t1', {}, () => {});
    vi.advanceTimersByTime(10_000);
    expect(created).toHaveLength(1);
    expect(removals).toHaveLength(0);
  });

  it('removes an unused channel after the linger time', async () => {
    const { client, removals } = fakeClient();
    const registry = createChannelRegistry(client, 5_000);
    registry.acquire('ticket:t1', {}, () => {}).release();
    vi.advanceTimersByTime(5_000);
    expect(removals).toHaveLength(1);
    removals[0]?.();
    await vi.waitFor(() => expect(registry.size()).toBe(0));
  });

  it('re-opens a fresh channel when someone acquires the topic while it is being removed', async () => {
    const { client, created, removals } = fakeClient();
    const registry = createChannelRegistry(client, 5_000);
    registry.acquire('ticket:t1', {}, () => {}).release();
    vi.advanceTimersByTime(5_000);
    const handle = registry.acquire('ticket:t1', {}, () => {});
    expect(handle.isJoined()).toBe(false);
    removals[0]?.();
    await vi.waitFor(() => expect(created).toHaveLength(2));
    created[1]?.status?.('SUBSCRIBED');
    expect(handle.isJoined()).toBe(true);
  });
});
