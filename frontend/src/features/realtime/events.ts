import { messageSchema, ticketRowSchema, type Message, type TicketRow } from '@/features/tickets/data/schema';

export type FeedStatus = 'connecting' | 'live' | 'paused';

export type ResyncReason = 'subscribed' | 'visible' | 'online';

/** What the dashboard's single postgres_changes channel delivers, plus replays after a gap. */
export type DeskEvent =
  | { type: 'ticket-insert'; ticket: TicketRow; replayed: boolean }
  | { type: 'ticket-update'; ticket: TicketRow }
  | { type: 'message-insert'; message: Message; replayed: boolean }
  /** Live updates may have been missed: refetch what is on screen. */
  | { type: 'resync'; reason: ResyncReason };

export interface ChangePayload {
  eventType?: string;
  table?: string;
  new?: unknown;
}

/** Turns a Realtime postgres_changes payload into a typed event; malformed rows are dropped. */
export function parseChange(payload: ChangePayload): DeskEvent | null {
  if (payload.table === 'tickets') {
    const parsed = ticketRowSchema.safeParse(payload.new);
    if (!parsed.success) return null;
    if (payload.eventType === 'INSERT') return { type: 'ticket-insert', ticket: parsed.data, replayed: false };
    if (payload.eventType === 'UPDATE') return { type: 'ticket-update', ticket: parsed.data };
    return null;
  }
  if (payload.table === 'messages' && payload.eventType === 'INSERT') {
    const parsed = messageSchema.safeParse(payload.new);
    return parsed.success ? { type: 'message-insert', message: parsed.data, replayed: false } : null;
  }
  return null;
}

/** A FIFO set with a bounded size: remembers which rows were already delivered. */
export function createSeenSet(limit: number) {
  const order: string[] = [];
  const seen = new Set<string>();
  return {
    /** True when `key` is new (and records it). */
    add(key: string): boolean {
      if (seen.has(key)) return false;
      seen.add(key);
      order.push(key);
      if (order.length > limit) {
        const evicted = order.shift();
        if (evicted !== undefined) seen.delete(evicted);
      }
      return true;
    },
    has: (key: string) => seen.has(key),
    get size() {
      return seen.size;
    },
  };
}

/** The key a delivered event is de-duplicated by (updates are never de-duplicated). */
export function eventKey(event: DeskEvent): string | null {
  if (event.type === 'ticket-insert') return `ticket:${event.ticket.id}`;
  if (event.type === 'message-insert') return `message:${event.message.id}`;
  return null;
}

export type { Message, TicketRow };
