import { afterEach, describe, expect, it, vi } from 'vitest';

import { createFakeRealtime } from '@/test/fake-realtime';
import { createFakeSupabase, json } from '@/test/fake-supabase';

import { createDeskFeed, HIDDEN_RESYNC_MS } from './desk-feed';
import type { DeskEvent } from './events';

const ticket = (id: string, second: number) => ({
  id,
  number: second,
  customer_id: 'c1',
  subject: `Ticket ${id}`,
  status: 'open',
  priority: 'normal',
  assignee_id: null,
  created_at: `2026-11-27T10:00:${String(second).padStart(2, '0')}+00:00`,
  updated_at: `2026-11-27T10:00:${String(second).padStart(2, '0')}+00:00`,
  last_message_at: `2026-11-27T10:00:${String(second).padStart(2, '0')}+00:00`,
});
const message = (id: string, second: number) => ({
  id,
  ticket_id: 't1',
  sender_type: 'customer',
  sender_id: 'v',
  content: id,
  client_id: null,
  created_at: `2026-11-27T10:00:${String(second).padStart(2, '0')}+00:00`,
});

function setup(realtime?: ReturnType<typeof createFakeRealtime>) {
  const fake = realtime ? createFakeSupabase(undefined, realtime.transport) : createFakeSupabase();
  const tables = { tickets: [ticket('t1', 1)], messages: [message('m1', 1)] };
  for (const table of ['tickets', 'messages'] as const) {
    fake.backend.on('GET', `/rest/v1/${table}`, (request) => {
      const gte = request.url.searchParams.get('created_at');
      if (!gte) return json(tables[table].slice(-1)); // "latest": the initial cursor
      const since = Date.parse(gte.slice(4));
      return json(tables[table].filter((row) => Date.parse(row.created_at) >= since));
    });
  }
  const feed = createDeskFeed(fake.client);
  const events: DeskEvent[] = [];
  feed.subscribe((event) => events.push(event));
  return { ...fake, feed, events, tables };
}

const summary = (events: DeskEvent[]) =>
  events.map((event) =>
    event.type === 'resync'
      ? `resync:${event.reason}`
      : event.type === 'message-insert'
        ? `message:${event.message.id}:${event.replayed ? 'replayed' : 'live'}`
        : event.type === 'ticket-insert'
          ? `ticket:${event.ticket.id}:${event.replayed ? 'replayed' : 'live'}`
          : 'update',
  );

afterEach(() => vi.restoreAllMocks());

describe('createDeskFeed resync', () => {
  it('first resync only sets the cursors (nothing before the dashboard opened is replayed)', async () => {
    const { feed, events } = setup();
    await feed.resync('subscribed');
    expect(summary(events)).toEqual(['resync:subscribed']);
    expect(feed.cursors()?.tickets?.id).toBe('t1');
    expect(feed.cursors()?.messages?.id).toBe('m1');
  });

  it('replays tickets and visitor messages created while disconnected, once, never older ones', async () => {
    const { feed, events, tables, backend } = setup();
    await feed.resync('subscribed');
    tables.tickets.push(ticket('t2', 30));
    tables.messages.push(message('m2', 31), message('m3', 32));
    await feed.resync('online');
    await feed.resync('visible');
    expect(summary(events)).toEqual([
      'resync:subscribed',
      'resync:online',
      'ticket:t2:replayed',
      'message:m2:replayed',
      'message:m3:replayed',
      'resync:visible',
    ]);
    const messagesQuery = backend.to('/rest/v1/messages').at(-1)!.url.searchParams;
    expect(messagesQuery.get('sender_type')).toBe('eq.customer');
    expect(messagesQuery.get('order')).toBe('created_at.asc,id.asc');
    // The cursor moved: the last resync re-reads from t2/m3 minus the safety margin.
    expect(messagesQuery.get('created_at')).toBe('gte.2026-11-27T10:00:27.000Z');
  });

  it('coalesces triggers that arrive while a resync runs', async () => {
    const { feed, events } = setup();
    await feed.resync('subscribed');
    events.length = 0;
    await Promise.all([feed.resync('online'), feed.resync('visible'), feed.resync('visible')]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await feed.resync('online');
    expect(summary(events).filter((entry) => entry.startsWith('resync'))).toEqual(['resync:online', 'resync:visible', 'resync:online']);
  });
});

describe('createDeskFeed triggers', () => {
  it('pauses when the browser goes offline and resyncs when it is back', async () => {
    const { feed, events } = setup();
    feed.start();
    window.dispatchEvent(new Event('offline'));
    expect(feed.status()).toBe('paused');
    window.dispatchEvent(new Event('online'));
    expect(summary(events)).toContain('resync:online');
    feed.stop();
  });

  it('resyncs when the tab comes back after a while, not after a quick switch', () => {
    const { feed, events } = setup();
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    feed.start();
    const flip = (state: DocumentVisibilityState, after: number) => {
      now += after;
      visibility.mockReturnValue(state);
      document.dispatchEvent(new Event('visibilitychange'));
    };
    flip('hidden', 0);
    flip('visible', 1_000);
    expect(summary(events)).not.toContain('resync:visible');
    flip('hidden', 0);
    flip('visible', HIDDEN_RESYNC_MS);
    expect(summary(events)).toContain('resync:visible');
    feed.stop();
  });
});

describe('createDeskFeed over Realtime', () => {
  const until = async (check: () => boolean, timeout = 4_000) => {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeout) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('goes live, delivers changes, and after a dropped connection replays exactly what was missed', async () => {
    const realtime = createFakeRealtime();
    const { feed, events, tables } = setup(realtime);
    feed.start();
    await until(() => feed.status() === 'live' && feed.cursors() !== undefined);

    // Live: a visitor message arrives through postgres_changes.
    tables.messages.push(message('m2', 20));
    realtime.pushChange('messages', 'INSERT', message('m2', 20));
    await until(() => summary(events).includes('message:m2:live'));

    // The network drops; meanwhile a ticket and a message are created.
    realtime.drop();
    await until(() => feed.status() === 'paused');
    tables.tickets.push(ticket('t9', 40));
    tables.messages.push(message('m3', 41));

    // The client reconnects by itself; the re-SUBSCRIBED resync replays the gap, and m2 is not doubled.
    await until(() => summary(events).includes('message:m3:replayed'));
    expect(feed.status()).toBe('live');
    const delivered = summary(events).filter((entry) => !entry.startsWith('resync'));
    // t1 and m1 existed before the dashboard opened: never announced as new.
    expect(delivered).toEqual(['message:m2:live', 'ticket:t9:replayed', 'message:m3:replayed']);
    expect(summary(events).filter((entry) => entry === 'resync:subscribed')).toHaveLength(2);
    feed.stop();
  });
});
