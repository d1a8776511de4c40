import type { RealtimeChannel } from '@supabase/supabase-js';

import { compareMessages, type MessageCursor } from '@/features/tickets/conversation/merge';
import type { DeskClient } from '@/lib/supabase-client';
import { randomId } from '@/lib/uuid';

import { createSeenSet, eventKey, parseChange, type DeskEvent, type FeedStatus, type ResyncReason } from './events';
import { advance, initialCursors, missedMessages, missedTickets, type FeedCursors } from './replay';

/** Rows committed late can carry an earlier created_at than rows already seen: re-read a margin. */
export const REPLAY_OVERLAP_MICROS = 5_000_000;
/** Coming back to a tab hidden at least this long counts as a possible gap. */
export const HIDDEN_RESYNC_MS = 5_000;

type Listener = (event: DeskEvent) => void;

function rewind(cursor: MessageCursor | null): MessageCursor {
  const micros = Math.max(0, (cursor?.micros ?? 0) - REPLAY_OVERLAP_MICROS);
  return { micros, createdAt: new Date(Math.floor(micros / 1000)).toISOString(), id: '' };
}

/**
 * The dashboard's one postgres_changes subscription (tickets INSERT/UPDATE, messages INSERT),
 * fanned out to the views. It never leaves a gap: whenever the channel (re)subscribes, the tab
 * comes back, or the network returns, it emits `resync` (views refetch) and then replays the
 * tickets and visitor messages created since its cursors, de-duplicated against what it already
 * delivered.
 */
export function createDeskFeed(client: DeskClient, env: Window = window) {
  const listeners = new Set<Listener>();
  const statusListeners = new Set<() => void>();
  const seen = createSeenSet(5_000);
  let status: FeedStatus = 'connecting';
  let channel: RealtimeChannel | null = null;
  let cursors: FeedCursors | undefined;
  /** The newest rows when the feed started: older ones were loaded by the views, never replayed. */
  let floors: FeedCursors = { tickets: null, messages: null };
  let running: Promise<void> | null = null;
  let again: ResyncReason | null = null;
  let hiddenAt: number | null = null;

  function setStatus(next: FeedStatus): void {
    if (status === next) return;
    status = next;
    statusListeners.forEach((listener) => listener());
  }

  function deliver(event: DeskEvent): void {
    const key = eventKey(event);
    if (key && !seen.add(key)) return;
    if (cursors && event.type === 'ticket-insert') cursors.tickets = advance(cursors.tickets, event.ticket);
    if (cursors && event.type === 'message-insert' && event.message.sender_type === 'customer') {
      cursors.messages = advance(cursors.messages, event.message);
    }
    listeners.forEach((listener) => listener(event));
  }

  async function replay(): Promise<void> {
    if (!cursors) {
      cursors = await initialCursors(client);
      floors = { ...cursors };
      return;
    }
    const [tickets, messages] = await Promise.all([
      missedTickets(client, rewind(cursors.tickets)),
      missedMessages(client, rewind(cursors.messages)),
    ]);
    const after = (floor: MessageCursor | null) => (row: { created_at: string; id: string }) =>
      !floor || compareMessages(row, { created_at: floor.createdAt, id: floor.id }) > 0;
    tickets.filter(after(floors.tickets)).forEach((ticket) => deliver({ type: 'ticket-insert', ticket, replayed: true }));
    messages.filter(after(floors.messages)).forEach((message) => deliver({ type: 'message-insert', message, replayed: true }));
  }

  /** Coalesces triggers: one resync at a time, plus at most one more queued behind it. */
  function resync(reason: ResyncReason): Promise<void> {
    if (running) {
      again = reason;
      return running;
    }
    listeners.forEach((listener) => listener({ type: 'resync', reason }));
    running = replay()
      .catch(() => undefined) // Offline again: the next trigger retries.
      .finally(() => {
        running = null;
        const queued = again;
        again = null;
        if (queued) void resync(queued);
      });
    return running;
  }

  function reconnect(): void {
    if (!client.realtime.isConnected()) client.realtime.connect();
  }

  const onVisibility = () => {
    if (env.document.visibilityState === 'hidden') {
      hiddenAt = Date.now();
      return;
    }
    const away = hiddenAt === null ? 0 : Date.now() - hiddenAt;
    hiddenAt = null;
    if (away >= HIDDEN_RESYNC_MS) {
      reconnect();
      void resync('visible');
    }
  };
  const onOnline = () => {
    reconnect();
    void resync('online');
  };
  const onOffline = () => setStatus('paused');

  function start(): void {
    if (channel) return;
    const handle = (payload: { eventType?: string; table?: string; new?: unknown }) => {
      const event = parseChange(payload);
      if (event) deliver(event);
    };
    channel = client
      .channel(`desk-feed:${randomId()}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'tickets' }, handle)
      .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'tickets' }, handle)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, handle)
      .on('system', {}, (payload: { status?: string }) => {
        if (payload.status === 'error') setStatus('paused');
      });
    channel.subscribe((state) => {
      if (state === 'SUBSCRIBED') {
        setStatus('live');
        void resync('subscribed');
      } else {
        setStatus('paused');
      }
    });
    env.document.addEventListener('visibilitychange', onVisibility);
    env.addEventListener('online', onOnline);
    env.addEventListener('offline', onOffline);
  }

  function stop(): void {
    env.document.removeEventListener('visibilitychange', onVisibility);
    env.removeEventListener('online', onOnline);
    env.removeEventListener('offline', onOffline);
    if (channel) void client.removeChannel(channel);
    channel = null;
  }

  return {
    start,
    stop,
    resync,
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => status,
    subscribeStatus(listener: () => void): () => void {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    /** For tests and diagnostics. */
    cursors: () => cursors,
  };
}

export type DeskFeed = ReturnType<typeof createDeskFeed>;
