// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Message } from '../data/schema';
import {
  addPending,
  compareMessages,
  cursorOf,
  emptyConversation,
  mergeMessages,
  mergeOlderPage,
  newestCursor,
  oldestCursor,
  removePending,
  updatePending,
  type ConversationState,
  type PendingMessage,
} from './merge';

const T = 'ticket-1';
let sequence = 0;

function message(overrides: Partial<Message> & { id: string; created_at: string }): Message {
  sequence += 1;
  return {
    ticket_id: T,
    sender_type: 'customer',
    sender_id: 'visitor',
    content: `message ${sequence}`,
    client_id: null,
    ...overrides,
  };
}

function pending(clientId: string, content = 'hello'): PendingMessage {
  return { client_id: clientId, ticket_id: T, content, created_at: '2026-11-27T10:00:00Z', fileNames: [], state: 'sending' };
}

const ids = (state: ConversationState) => state.messages.map((m) => m.id);

describe('compareMessages', () => {
  it('orders by created_at, then by id for equal timestamps', () => {
    const a = { id: 'b', created_at: '2026-11-27T10:00:00.000001Z' };
    const b = { id: 'a', created_at: '2026-11-27T10:00:00.000002Z' };
    const c = { id: 'c', created_at: '2026-11-27T10:00:00.000002Z' };
    expect([c, b, a].sort(compareMessages).map((m) => m.id)).toEqual(['b', 'a', 'c']);
  });

  it('compares the same instant written by PostgREST and by Realtime as equal time', () => {
    const rest = { id: 'x', created_at: '2026-11-27T10:00:00.123456+00:00' };
    const realtime = { id: 'x', created_at: '2026-11-27 12:00:00.123456+02' };
    expect(compareMessages(rest, realtime)).toBe(0);
  });

  it('keeps microsecond order that Date.parse would lose', () => {
    const earlier = { id: 'z', created_at: '2026-11-27T10:00:00.123001Z' };
    const later = { id: 'a', created_at: '2026-11-27T10:00:00.123002Z' };
    expect(compareMessages(earlier, later)).toBeLessThan(0);
  });
});

describe('mergeMessages', () => {
  it('adds messages in (created_at, id) order whatever order they arrive in', () => {
    const m1 = message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' });
    const m2 = message({ id: 'm2', created_at: '2026-11-27T10:00:02Z' });
    const m3 = message({ id: 'm3', created_at: '2026-11-27T10:00:03Z' });
    const state = mergeMessages(mergeMessages(emptyConversation(), [m3]), [m1, m2]);
    expect(ids(state)).toEqual(['m1', 'm2', 'm3']);
  });

  it('de-duplicates by id: a catch-up that re-reads known rows adds nothing', () => {
    const m1 = message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' });
    const m2 = message({ id: 'm2', created_at: '2026-11-27T10:00:02Z' });
    const state = mergeMessages(emptyConversation(), [m1, m2]);
    const again = mergeMessages(state, [{ ...m2 }, { ...m1 }, { ...m2 }]);
    expect(ids(again)).toEqual(['m1', 'm2']);
    expect(again).toBe(state);
  });

  it('returns the same state object when nothing changed (memoized lists do not re-render)', () => {
    const state = mergeMessages(emptyConversation(), [message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' })]);
    expect(mergeMessages(state, [])).toBe(state);
    expect(mergeMessages(state, [{ ...state.messages[0]! }])).toBe(state);
  });

  it('keeps unchanged message objects when others are added', () => {
    const m1 = message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' });
    const state = mergeMessages(emptyConversation(), [m1]);
    const next = mergeMessages(state, [message({ id: 'm2', created_at: '2026-11-27T10:00:02Z' })]);
    expect(next.messages[0]).toBe(state.messages[0]);
  });

  it('never lets a Realtime row (no attachments) erase attachments a REST read returned', () => {
    const attachment = { id: 'a1', object_path: `tickets/${T}/x.png`, file_name: 'x.png', mime_type: 'image/png' };
    const withFiles = message({ id: 'm1', created_at: '2026-11-27T10:00:01Z', attachments: [attachment] });
    const state = mergeMessages(emptyConversation(), [withFiles]);
    const { attachments: _dropped, ...realtimeRow } = withFiles;
    const next = mergeMessages(state, [realtimeRow]);
    expect(next.messages[0]?.attachments).toEqual([attachment]);
    // Even when the row spells the key out as undefined.
    expect(mergeMessages(state, [{ ...realtimeRow, attachments: undefined }]).messages[0]?.attachments).toEqual([attachment]);
  });

  it('fills in attachments when the REST read arrives after the Realtime row', () => {
    const realtimeRow = message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' });
    const attachment = { id: 'a1', object_path: `tickets/${T}/x.png`, file_name: 'x.png', mime_type: 'image/png' };
    const state = mergeMessages(emptyConversation(), [realtimeRow]);
    const next = mergeMessages(state, [{ ...realtimeRow, attachments: [attachment] }]);
    expect(next.messages[0]?.attachments).toEqual([attachment]);
    expect(next.messages).toHaveLength(1);
  });

  it('replaces an optimistic message by the server message with the same client_id', () => {
    const state = addPending(emptyConversation(), pending('c1'));
    const confirmed = message({ id: 'm9', created_at: '2026-11-27T10:00:05Z', sender_type: 'admin', client_id: 'c1', content: 'hello' });
    const next = mergeMessages(state, [confirmed]);
    expect(next.pending).toEqual([]);
    expect(ids(next)).toEqual(['m9']);
  });

  it('shows a retried send once even if the server answers twice (201 then 200 with the same row)', () => {
    const confirmed = message({ id: 'm9', created_at: '2026-11-27T10:00:05Z', sender_type: 'admin', client_id: 'c1' });
    let state = addPending(emptyConversation(), pending('c1'));
    state = mergeMessages(state, [confirmed]);
    state = mergeMessages(state, [{ ...confirmed }]);
    state = mergeMessages(state, [{ ...confirmed, attachments: [] }]);
    expect(ids(state)).toEqual(['m9']);
    expect(state.pending).toEqual([]);
  });

  it('keeps other optimistic messages pending', () => {
    let state = addPending(emptyConversation(), pending('c1'));
    state = addPending(state, pending('c2'));
    state = mergeMessages(state, [message({ id: 'm1', created_at: '2026-11-27T10:00:01Z', client_id: 'c1' })]);
    expect(state.pending.map((p) => p.client_id)).toEqual(['c2']);
  });
});

describe('pending messages', () => {
  it('does not add an optimistic message the server already has (late retry)', () => {
    const state = mergeMessages(emptyConversation(), [message({ id: 'm1', created_at: '2026-11-27T10:00:01Z', client_id: 'c1' })]);
    expect(addPending(state, pending('c1'))).toBe(state);
  });

  it('re-adding the same client_id replaces instead of duplicating', () => {
    let state = addPending(emptyConversation(), pending('c1', 'first'));
    state = addPending(state, pending('c1', 'second'));
    expect(state.pending).toHaveLength(1);
    expect(state.pending[0]?.content).toBe('second');
  });

  it('marks a failed send and back to sending on retry', () => {
    let state = addPending(emptyConversation(), pending('c1'));
    state = updatePending(state, 'c1', { state: 'failed', error: 'Ticket closed' });
    expect(state.pending[0]).toMatchObject({ state: 'failed', error: 'Ticket closed' });
    state = updatePending(state, 'c1', { state: 'sending' });
    expect(state.pending[0]?.state).toBe('sending');
  });

  it('ignores updates and removals of unknown client ids', () => {
    const state = addPending(emptyConversation(), pending('c1'));
    expect(updatePending(state, 'nope', { state: 'failed' })).toBe(state);
    expect(removePending(state, 'nope')).toBe(state);
    expect(removePending(state, 'c1').pending).toEqual([]);
  });
});

describe('cursors', () => {
  it('newest and oldest cursors follow the sorted messages', () => {
    const state = mergeMessages(emptyConversation(), [
      message({ id: 'm2', created_at: '2026-11-27T10:00:02.5Z' }),
      message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' }),
    ]);
    expect(newestCursor(state)).toEqual({ id: 'm2', micros: Date.UTC(2026, 10, 27, 10, 0, 2) * 1000 + 500_000, createdAt: '2026-11-27T10:00:02.500000Z' });
    expect(oldestCursor(state)?.id).toBe('m1');
  });

  it('has no cursor for an empty conversation', () => {
    expect(newestCursor(emptyConversation())).toBeNull();
    expect(oldestCursor(emptyConversation())).toBeNull();
  });

  it('normalises any timestamp format to ISO UTC with microseconds for the filter', () => {
    expect(cursorOf({ id: 'x', created_at: '2026-11-27 12:00:00.000123+02' }).createdAt).toBe('2026-11-27T10:00:00.000123Z');
  });
});

describe('mergeOlderPage', () => {
  it('prepends an older page and keeps loading older while pages are full', () => {
    const newest = mergeMessages(emptyConversation(true), [message({ id: 'm3', created_at: '2026-11-27T10:00:03Z' })]);
    const page = [message({ id: 'm1', created_at: '2026-11-27T10:00:01Z' }), message({ id: 'm2', created_at: '2026-11-27T10:00:02Z' })];
    const full = mergeOlderPage(newest, page, 2);
    expect(ids(full)).toEqual(['m1', 'm2', 'm3']);
    expect(full.hasOlder).toBe(true);
    expect(mergeOlderPage(newest, page, 3).hasOlder).toBe(false);
  });
});
