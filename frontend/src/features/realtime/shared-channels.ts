import type { RealtimeChannel } from '@supabase/supabase-js';

import type { DeskClient } from '@/lib/supabase-client';

/**
 * Private channels whose topic is fixed (`ticket:<uuid>`, `agents:presence`) are shared and
 * released lazily: supabase-js hands back the *same* channel object for a topic until the server
 * acknowledged the leave, so closing and reopening a ticket (or React StrictMode) would otherwise
 * end up with a channel that never subscribes again.
 */

export type ChannelSignal =
  | { kind: 'status'; status: string }
  | { kind: 'broadcast'; event: string; payload: unknown }
  | { kind: 'presence'; state: Record<string, unknown[]> };

export interface SharedChannelOptions {
  /** Broadcast events to listen to. */
  broadcastEvents?: readonly string[];
  /** Presence key; enables presence sync signals and track(). */
  presenceKey?: string;
}

export interface ChannelHandle {
  isJoined(): boolean;
  broadcast(event: string, payload: Record<string, unknown>): void;
  track(payload: Record<string, unknown>): void;
  release(): void;
}

type Listener = (signal: ChannelSignal) => void;
type RegistryClient = Pick<DeskClient, 'channel' | 'removeChannel'>;

interface Entry {
  topic: string;
  options: SharedChannelOptions;
  channel: RealtimeChannel | null;
  status: string;
  listeners: Set<Listener>;
  closing: boolean;
  linger: ReturnType<typeof setTimeout> | undefined;
}

export function createChannelRegistry(client: RegistryClient, lingerMs = 5_000) {
  const entries = new Map<string, Entry>();

  const emit = (entry: Entry, signal: ChannelSignal) => entry.listeners.forEach((listener) => listener(signal));

  function open(entry: Entry): void {
    const { presenceKey, broadcastEvents = [] } = entry.options;
    const channel = client.channel(entry.topic, {
      config: { private: true, broadcast: { self: false }, ...(presenceKey ? { presence: { key: presenceKey } } : {}) },
    });
    for (const event of broadcastEvents) {
      channel.on('broadcast', { event }, (message: { payload?: unknown }) =>
        emit(entry, { kind: 'broadcast', event, payload: message.payload }),
      );
    }
    if (presenceKey) {
      channel.on('presence', { event: 'sync' }, () =>
        emit(entry, { kind: 'presence', state: channel.presenceState() as Record<string, unknown[]> }),
      );
    }
    entry.channel = channel;
    entry.status = 'JOINING';
    channel.subscribe((status) => {
      if (entry.channel !== channel) return;
      entry.status = status;
      emit(entry, { kind: 'status', status });
    });
  }

  function close(entry: Entry): void {
    const channel = entry.channel;
    if (!channel) return;
    entry.closing = true;
    entry.status = 'CLOSED';
    void client.removeChannel(channel).finally(() => {
      entry.closing = false;
      entry.channel = null;
      if (entry.listeners.size > 0) open(entry);
      else entries.delete(entry.topic);
    });
  }

  function acquire(topic: string, options: SharedChannelOptions, listener: Listener): ChannelHandle {
    let entry = entries.get(topic);
    if (!entry) {
      entry = { topic, options, channel: null, status: 'JOINING', listeners: new Set(), closing: false, linger: undefined };
      entries.set(topic, entry);
      open(entry);
    }
    const current = entry;
    clearTimeout(current.linger);
    current.listeners.add(listener);
    listener({ kind: 'status', status: current.status });
    const joined = () => !current.closing && current.status === 'SUBSCRIBED' && current.channel !== null;

    return {
      isJoined: joined,
      broadcast(event, payload) {
        if (joined()) void current.channel?.send({ type: 'broadcast', event, payload });
      },
      track(payload) {
        if (joined()) void current.channel?.track(payload);
      },
      release() {
        if (!current.listeners.delete(listener) || current.listeners.size > 0 || current.closing) return;
        current.linger = setTimeout(() => {
          if (current.listeners.size === 0) close(current);
        }, lingerMs);
      },
    };
  }

  return { acquire, size: () => entries.size };
}

export type ChannelRegistry = ReturnType<typeof createChannelRegistry>;
