import { formatMicros, parseTimestampMicros } from '@/lib/time';

import type { Message } from '../data/schema';

/**
 * The conversation of one ticket as the dashboard holds it, and the pure rules that keep it
 * gap-free and duplicate-free whatever order rows arrive in (first page, older pages, Realtime,
 * catch-up after a reconnect, the add-message response):
 * - server messages are unique by `id` and ordered by (created_at, id) — the catch-up cursor;
 * - an optimistic message is keyed by its `client_id` and disappears when the server's message
 *   with that client_id arrives, so a retried send never shows twice.
 */

export interface MessageCursor {
  micros: number;
  /** created_at as ISO 8601 UTC with microseconds, safe to put in a filter. */
  createdAt: string;
  id: string;
}

export interface PendingMessage {
  client_id: string;
  ticket_id: string;
  content: string;
  /** Local time of the send, for display only. */
  created_at: string;
  fileNames: readonly string[];
  state: 'sending' | 'failed';
  error?: string;
}

export interface ConversationState {
  messages: readonly Message[];
  pending: readonly PendingMessage[];
  hasOlder: boolean;
}

export function emptyConversation(hasOlder = false): ConversationState {
  return { messages: [], pending: [], hasOlder };
}

type Ordered = Pick<Message, 'created_at' | 'id'>;

function micros(message: Ordered): number {
  const value = parseTimestampMicros(message.created_at);
  return Number.isNaN(value) ? Number.MAX_SAFE_INTEGER : value;
}

/** (created_at, id) ascending; uuids compare like PostgreSQL as lowercase hex strings. */
export function compareMessages(a: Ordered, b: Ordered): number {
  const byTime = micros(a) - micros(b);
  if (byTime !== 0) return byTime;
  const idA = a.id.toLowerCase();
  const idB = b.id.toLowerCase();
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

export function cursorOf(message: Ordered): MessageCursor {
  const value = micros(message);
  return { micros: value, createdAt: formatMicros(value), id: message.id };
}

export function newestCursor(state: ConversationState): MessageCursor | null {
  const last = state.messages[state.messages.length - 1];
  return last ? cursorOf(last) : null;
}

export function oldestCursor(state: ConversationState): MessageCursor | null {
  const first = state.messages[0];
  return first ? cursorOf(first) : null;
}

/** Realtime rows carry no attachments; never let them erase attachments a REST read returned. */
function mergeOne(existing: Message, incoming: Message): Message {
  const attachments = incoming.attachments ?? existing.attachments;
  const merged: Message = attachments ? { ...existing, ...incoming, attachments } : { ...existing, ...incoming };
  const same =
    merged.content === existing.content &&
    merged.created_at === existing.created_at &&
    merged.client_id === existing.client_id &&
    merged.sender_type === existing.sender_type &&
    merged.attachments === existing.attachments;
  return same ? existing : merged;
}

/** Adds or updates server messages. Returns the same object when nothing changed. */
export function mergeMessages(state: ConversationState, incoming: readonly Message[]): ConversationState {
  if (incoming.length === 0) return state;
  const byId = new Map(state.messages.map((message) => [message.id, message]));
  let changed = false;
  for (const message of incoming) {
    const existing = byId.get(message.id);
    const next = existing ? mergeOne(existing, message) : message;
    if (next !== existing) {
      byId.set(message.id, next);
      changed = true;
    }
  }
  const confirmed = new Set(incoming.map((message) => message.client_id).filter(Boolean));
  const pending = state.pending.filter((item) => !confirmed.has(item.client_id));
  if (!changed && pending.length === state.pending.length) return state;
  return {
    ...state,
    messages: changed ? [...byId.values()].sort(compareMessages) : state.messages,
    pending,
  };
}

/** Prepends an older page; `pageSize` rows back means there may be more before it. */
export function mergeOlderPage(
  state: ConversationState,
  rows: readonly Message[],
  pageSize: number,
): ConversationState {
  const merged = mergeMessages(state, rows);
  const hasOlder = rows.length >= pageSize;
  return merged.hasOlder === hasOlder ? merged : { ...merged, hasOlder };
}

/** Shows an optimistic message, unless the server already has it (a late retry). */
export function addPending(state: ConversationState, item: PendingMessage): ConversationState {
  if (state.messages.some((message) => message.client_id === item.client_id)) return state;
  const others = state.pending.filter((pending) => pending.client_id !== item.client_id);
  return { ...state, pending: [...others, item] };
}

export function updatePending(
  state: ConversationState,
  clientId: string,
  patch: Partial<Pick<PendingMessage, 'state' | 'error'>>,
): ConversationState {
  if (!state.pending.some((item) => item.client_id === clientId)) return state;
  return {
    ...state,
    pending: state.pending.map((item) => (item.client_id === clientId ? { ...item, ...patch } : item)),
  };
}

export function removePending(state: ConversationState, clientId: string): ConversationState {
  const pending = state.pending.filter((item) => item.client_id !== clientId);
  return pending.length === state.pending.length ? state : { ...state, pending };
}
