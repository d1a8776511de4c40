// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { createFakeSupabase, json } from '@/test/fake-supabase';

import { MESSAGE_PAGE_SIZE } from '../data/messages-api';
import type { Message } from '../data/schema';
import { addPending, emptyConversation, mergeMessages, type ConversationState } from './merge';
import { CATCH_UP_OVERLAP_MICROS, syncConversation } from './sync';

const at = (second: number) => `2026-11-27T10:00:${String(second).padStart(2, '0')}+00:00`;
const row = (id: string, second: number): Message => ({
  id,
  ticket_id: 't1',
  sender_type: 'customer',
  sender_id: 'v',
  content: id,
  client_id: null,
  created_at: at(second),
  attachments: [],
});

describe('syncConversation', () => {
  it('loads the newest page first, oldest first on screen, and knows whether older ones exist', async () => {
    const { client, backend } = createFakeSupabase();
    const newestFirst = Array.from({ length: MESSAGE_PAGE_SIZE }, (_, i) => row(`m${59 - i}`, 59 - i));
    backend.on('GET', '/rest/v1/messages', () => json(newestFirst));
    const state = await syncConversation(client, 't1', () => undefined);
    const params = backend.to('/rest/v1/messages')[0]!.url.searchParams;
    expect(params.get('ticket_id')).toBe('eq.t1');
    expect(params.get('order')).toBe('created_at.desc,id.desc');
    expect(params.get('limit')).toBe(String(MESSAGE_PAGE_SIZE));
    expect(params.get('select')).toContain('attachments(');
    expect(state.messages[0]?.id).toBe('m10');
    expect(state.messages.at(-1)?.id).toBe('m59');
    expect(state.hasOlder).toBe(true);
  });

  it('after a gap fetches everything since the newest message held (with a safety margin), oldest first', async () => {
    const { client, backend } = createFakeSupabase();
    backend.on('GET', '/rest/v1/messages', () => json([row('m2', 2), row('m3', 3), row('m4', 4)]));
    const held = mergeMessages(emptyConversation(), [row('m1', 1), row('m2', 2)]);
    const state = await syncConversation(client, 't1', () => held);
    const params = backend.to('/rest/v1/messages')[0]!.url.searchParams;
    const cursorMs = Date.parse(at(2)) - CATCH_UP_OVERLAP_MICROS / 1000;
    expect(params.get('created_at')).toBe(`gte.${new Date(cursorMs).toISOString()}`);
    expect(params.get('order')).toBe('created_at.asc,id.asc');
    expect(state.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('keeps rows merged while the request was in flight (Realtime) and pending sends', async () => {
    const { client, backend } = createFakeSupabase();
    let current: ConversationState = mergeMessages(emptyConversation(), [row('m1', 1)]);
    backend.on('GET', '/rest/v1/messages', () => {
      // A Realtime insert and an optimistic send land while the catch-up is on the wire.
      current = addPending(mergeMessages(current, [row('m5', 5)]), {
        client_id: 'c1',
        ticket_id: 't1',
        content: 'hi',
        created_at: at(6),
        fileNames: [],
        state: 'sending',
      });
      return json([row('m1', 1), row('m2', 2)]);
    });
    const state = await syncConversation(client, 't1', () => current);
    expect(state.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm5']);
    expect(state.pending.map((p) => p.client_id)).toEqual(['c1']);
  });

  it('pages through a long gap until a short page', async () => {
    const { client, backend } = createFakeSupabase();
    const pages = [
      Array.from({ length: 200 }, (_, i) => row(`a${String(i).padStart(3, '0')}`, 10 + Math.floor(i / 10))),
      [row('z1', 40)],
    ];
    backend.on('GET', '/rest/v1/messages', () => json(pages.shift() ?? []));
    const held = mergeMessages(emptyConversation(), [row('m1', 1)]);
    const state = await syncConversation(client, 't1', () => held);
    expect(backend.to('/rest/v1/messages')).toHaveLength(2);
    expect(backend.to('/rest/v1/messages')[1]!.url.searchParams.get('created_at')).toBe(`gte.${at(29)}`);
    expect(state.messages).toHaveLength(202);
  });
});
