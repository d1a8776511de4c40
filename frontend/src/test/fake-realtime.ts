/**
 * A scripted Realtime server behind a fake WebSocket (Phoenix protocol, vsn 2.0.0 text frames):
 * joins succeed and echo the postgres_changes bindings with ids, heartbeats are answered, and a
 * test can push changes, broadcasts, or drop every connection to simulate a network cut.
 */
type Frame = [string | null, string | null, string, string, unknown];

interface Binding {
  id: number;
  event: string;
  schema: string;
  table?: string;
}

export function createFakeRealtime() {
  const sockets: FakeSocket[] = [];
  const joined = new Map<string, { socket: FakeSocket; bindings: Binding[] }>();
  const sentBroadcasts: { topic: string; event: string; payload: unknown }[] = [];
  let nextBindingId = 1;

  class FakeSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    readyState = 0;
    protocol = '';
    binaryType = 'arraybuffer';
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;

    constructor(readonly url: string) {
      sockets.push(this);
      setTimeout(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this.onopen?.({});
      }, 0);
    }

    reply(frame: Frame): void {
      if (this.readyState === 1) setTimeout(() => this.onmessage?.({ data: JSON.stringify(frame) }), 0);
    }

    send(data: unknown): void {
      if (typeof data !== 'string') return; // binary user broadcasts are not needed here
      const [joinRef, ref, topic, event, payload] = JSON.parse(data) as Frame;
      const ok = (response: unknown = {}) => this.reply([joinRef, ref, topic, 'phx_reply', { status: 'ok', response }]);
      if (event === 'phx_join') {
        const config = (payload as { config?: { postgres_changes?: Omit<Binding, 'id'>[] } }).config;
        const bindings = (config?.postgres_changes ?? []).map((binding) => ({ ...binding, id: nextBindingId++ }));
        joined.set(topic, { socket: this, bindings });
        ok({ postgres_changes: bindings });
      } else if (event === 'phx_leave') {
        joined.delete(topic);
        ok();
      } else if (event === 'broadcast') {
        const message = payload as { event: string; payload: unknown };
        sentBroadcasts.push({ topic, event: message.event, payload: message.payload });
      } else if (event === 'heartbeat' || event === 'presence') {
        ok();
      }
    }

    close(code = 1000): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      for (const [topic, entry] of joined) if (entry.socket === this) joined.delete(topic);
      setTimeout(() => this.onclose?.({ code, reason: '', wasClean: code === 1000 }), 0);
    }

    addEventListener(): void {}
    removeEventListener(): void {}
  }

  return {
    transport: FakeSocket,
    sockets,
    sentBroadcasts,
    joinedTopics: () => [...joined.keys()],
    /** A row change as the server would stream it to every matching subscription. */
    pushChange(table: string, type: 'INSERT' | 'UPDATE', record: Record<string, unknown>): void {
      for (const [topic, { socket, bindings }] of joined) {
        const ids = bindings
          .filter((binding) => (binding.event === type || binding.event === '*') && (!binding.table || binding.table === table))
          .map((binding) => binding.id);
        if (ids.length === 0) continue;
        const data = { type, schema: 'public', table, commit_timestamp: new Date().toISOString(), columns: [], record, old_record: null, errors: null };
        socket.reply([null, null, topic, 'postgres_changes', { ids, data }]);
      }
    },
    broadcast(topic: string, event: string, payload: unknown): void {
      const entry = joined.get(`realtime:${topic}`);
      entry?.socket.reply([null, null, `realtime:${topic}`, 'broadcast', { type: 'broadcast', event, payload }]);
    },
    /** Cuts every connection like a network drop (the client reconnects on its own). */
    drop(): void {
      for (const socket of sockets) socket.close(1006);
    },
  };
}

export type FakeRealtime = ReturnType<typeof createFakeRealtime>;
