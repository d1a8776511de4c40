// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Message, TicketRow } from '@/features/tickets/data/schema';

import { activityOf, attentionReducer, formatTitle, initialAttention } from './attention';

const ticket: TicketRow = {
  id: 't1',
  number: 42,
  customer_id: 'c1',
  subject: 'Printer on fire',
  status: 'open',
  priority: 'normal',
  assignee_id: null,
  created_at: '2026-11-27T10:00:00Z',
  updated_at: '2026-11-27T10:00:00Z',
  last_message_at: '2026-11-27T10:00:00Z',
};

const message = (overrides: Partial<Message> = {}): Message => ({
  id: 'm1',
  ticket_id: 't1',
  sender_type: 'customer',
  sender_id: 'visitor',
  content: 'Hello?',
  client_id: null,
  created_at: '2026-11-27T10:00:01Z',
  ...overrides,
});

describe('formatTitle', () => {
  it('leaves the title alone without unseen activity', () => {
    expect(formatTitle('supadesk', 0)).toBe('supadesk');
  });

  it('prefixes the count', () => {
    expect(formatTitle('supadesk', 3)).toBe('(3) supadesk');
  });

  it('caps large counts', () => {
    expect(formatTitle('supadesk', 100)).toBe('(99+) supadesk');
    expect(formatTitle('supadesk', 99)).toBe('(99) supadesk');
  });
});

describe('attentionReducer', () => {
  it('counts activity while the agent is away', () => {
    const state = attentionReducer(initialAttention, { type: 'activity', ticketId: 't1', attentive: false });
    expect(state.unseen).toEqual(['t1']);
  });

  it('counts a ticket once however many events it gets (new ticket + its first message)', () => {
    let state = attentionReducer(initialAttention, { type: 'activity', ticketId: 't1', attentive: false });
    state = attentionReducer(state, { type: 'activity', ticketId: 't1', attentive: false });
    state = attentionReducer(state, { type: 'activity', ticketId: 't2', attentive: false });
    expect(state.unseen).toEqual(['t1', 't2']);
  });

  it('does not count what the agent sees happen', () => {
    expect(attentionReducer(initialAttention, { type: 'activity', ticketId: 't1', attentive: true })).toBe(initialAttention);
  });

  it('clears everything when the agent comes back', () => {
    let state = attentionReducer(initialAttention, { type: 'activity', ticketId: 't1', attentive: false });
    state = attentionReducer(state, { type: 'activity', ticketId: 't2', attentive: false });
    expect(attentionReducer(state, { type: 'seen' }).unseen).toEqual([]);
    expect(attentionReducer(initialAttention, { type: 'seen' })).toBe(initialAttention);
  });

  it('clears one ticket when it is opened', () => {
    let state = attentionReducer(initialAttention, { type: 'activity', ticketId: 't1', attentive: false });
    state = attentionReducer(state, { type: 'activity', ticketId: 't2', attentive: false });
    expect(attentionReducer(state, { type: 'seen-ticket', ticketId: 't1' }).unseen).toEqual(['t2']);
  });
});

describe('activityOf', () => {
  it('alerts on a new ticket with its number and subject', () => {
    expect(activityOf({ type: 'ticket-insert', ticket, replayed: false })).toEqual({
      ticketId: 't1',
      title: 'New ticket #42',
      body: 'Printer on fire',
      replayed: false,
    });
  });

  it('alerts on visitor messages, shortened', () => {
    const activity = activityOf({ type: 'message-insert', message: message({ content: 'x'.repeat(300) }), replayed: true });
    expect(activity?.ticketId).toBe('t1');
    expect(activity?.body).toHaveLength(140);
    expect(activity?.replayed).toBe(true);
  });

  it('does not alert on agent or system messages, updates or resyncs', () => {
    expect(activityOf({ type: 'message-insert', message: message({ sender_type: 'admin' }), replayed: false })).toBeNull();
    expect(activityOf({ type: 'message-insert', message: message({ sender_type: 'system', sender_id: null }), replayed: false })).toBeNull();
    expect(activityOf({ type: 'ticket-update', ticket })).toBeNull();
    expect(activityOf({ type: 'resync', reason: 'online' })).toBeNull();
  });
});
