import type { DeskEvent } from '@/features/realtime/events';

/**
 * What the agent has not seen yet, counted per ticket so a new ticket and its first message
 * (two events) count once. Activity only counts while the agent is away (tab hidden or window
 * unfocused); coming back clears the count.
 */
export interface AttentionState {
  unseen: readonly string[];
}

export type AttentionAction =
  | { type: 'activity'; ticketId: string; attentive: boolean }
  | { type: 'seen' }
  | { type: 'seen-ticket'; ticketId: string };

export const initialAttention: AttentionState = { unseen: [] };

export function attentionReducer(state: AttentionState, action: AttentionAction): AttentionState {
  switch (action.type) {
    case 'activity':
      if (action.attentive || state.unseen.includes(action.ticketId)) return state;
      return { unseen: [...state.unseen, action.ticketId] };
    case 'seen':
      return state.unseen.length === 0 ? state : initialAttention;
    case 'seen-ticket':
      return state.unseen.includes(action.ticketId)
        ? { unseen: state.unseen.filter((id) => id !== action.ticketId) }
        : state;
  }
}

/** "(3) supadesk"; large counts are capped so the tab stays readable. */
export function formatTitle(base: string, count: number): string {
  if (count <= 0) return base;
  return `(${count > 99 ? '99+' : count}) ${base}`;
}

export interface Activity {
  ticketId: string;
  title: string;
  body: string;
  replayed: boolean;
}

/** New tickets and visitor messages are worth an alert; agents' own messages and updates are not. */
export function activityOf(event: DeskEvent): Activity | null {
  if (event.type === 'ticket-insert') {
    return {
      ticketId: event.ticket.id,
      title: `New ticket #${event.ticket.number}`,
      body: event.ticket.subject,
      replayed: event.replayed,
    };
  }
  if (event.type === 'message-insert' && event.message.sender_type === 'customer') {
    const text = event.message.content;
    return {
      ticketId: event.message.ticket_id,
      title: 'New message from a visitor',
      body: text.length > 140 ? `${text.slice(0, 139)}…` : text,
      replayed: event.replayed,
    };
  }
  return null;
}
