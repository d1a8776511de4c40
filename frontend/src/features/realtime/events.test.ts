// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { createSeenSet, parseChange } from './events';
import { onlineAgents } from './use-agent-presence';

const ticketRow = {
  id: 't1',
  number: 3,
  customer_id: 'c1',
  subject: 'Hi',
  status: 'open',
  priority: 'normal',
  assignee_id: null,
  created_at: '2026-11-27T10:00:00+00:00',
  updated_at: '2026-11-27T10:00:00+00:00',
  last_message_at: '2026-11-27T10:00:00+00:00',
};

describe('parseChange', () => {
  it('types ticket inserts and updates and message inserts', () => {
    expect(parseChange({ table: 'tickets', eventType: 'INSERT', new: ticketRow })).toMatchObject({ type: 'ticket-insert', replayed: false });
    expect(parseChange({ table: 'tickets', eventType: 'UPDATE', new: { ...ticketRow, status: 'pending' } })).toMatchObject({
      type: 'ticket-update',
      ticket: { status: 'pending' },
    });
    const message = { id: 'm1', ticket_id: 't1', sender_type: 'customer', sender_id: 'v', content: 'x', client_id: 'c', created_at: 'now' };
    expect(parseChange({ table: 'messages', eventType: 'INSERT', new: message })).toMatchObject({ type: 'message-insert' });
  });

  it('drops malformed rows and events it does not use', () => {
    expect(parseChange({ table: 'tickets', eventType: 'INSERT', new: { id: 't1' } })).toBeNull();
    expect(parseChange({ table: 'tickets', eventType: 'DELETE', new: ticketRow })).toBeNull();
    expect(parseChange({ table: 'analytics', eventType: 'INSERT', new: {} })).toBeNull();
  });
});

describe('createSeenSet', () => {
  it('reports each key once and forgets the oldest beyond its limit', () => {
    const seen = createSeenSet(2);
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
    seen.add('b');
    seen.add('c');
    expect(seen.has('a')).toBe(false);
    expect(seen.size).toBe(2);
  });
});

describe('onlineAgents', () => {
  it('lists each agent once (several tabs) by name, ignoring malformed metas', () => {
    const state = {
      u2: [
        { user_id: 'u2', display_name: 'Zoe', online_at: 't', presence_ref: '1' },
        { user_id: 'u2', display_name: 'Zoe', online_at: 't', presence_ref: '2' },
      ],
      u1: [{ user_id: 'u1', display_name: 'Ada', online_at: 't' }],
      bad: [{ nope: true }],
    };
    expect(onlineAgents(state).map((agent) => agent.display_name)).toEqual(['Ada', 'Zoe']);
  });
});
