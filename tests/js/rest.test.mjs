// /rest/v1 through the unchanged supabase-js (the frontend's client) under Node.
// Needs SUPADESK_API_URL, SUPADESK_ANON_KEY and SUPADESK_SERVICE_ROLE_KEY (tests/rest/test_js_client.py).
// Run: node --experimental-websocket --test rest.test.mjs (Node 20 keeps WebSocket behind the flag).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { createClient } from '@supabase/supabase-js';

const url = process.env.SUPADESK_API_URL;
const anonKey = process.env.SUPADESK_ANON_KEY;
const serviceKey = process.env.SUPADESK_SERVICE_ROLE_KEY;
assert.ok(url && anonKey && serviceKey, 'set SUPADESK_API_URL, SUPADESK_ANON_KEY and SUPADESK_SERVICE_ROLE_KEY');

const options = { auth: { persistSession: false, autoRefreshToken: false } };
const service = createClient(url, serviceKey, options);
const visitor = createClient(url, anonKey, options);
let userId;
let ticketId;

before(async () => {
  const { data, error } = await visitor.auth.signInAnonymously();
  assert.equal(error, null);
  userId = data.user.id;
  const customer = await service
    .from('customers')
    .insert({ user_id: userId, email: `js-${userId}@example.com`, name: 'JS visitor' })
    .select()
    .single();
  assert.equal(customer.error, null);
  const ticket = await service
    .from('tickets')
    .insert({ customer_id: customer.data.id, subject: 'From supabase-js' })
    .select('id')
    .single();
  assert.equal(ticket.error, null);
  ticketId = ticket.data.id;
});

test('insert as the visitor, then select with an embed', async () => {
  const inserted = await visitor
    .from('messages')
    .insert([
      { ticket_id: ticketId, sender_type: 'customer', sender_id: userId, content: 'first' },
      { ticket_id: ticketId, sender_type: 'customer', sender_id: userId, content: 'second' },
    ])
    .select('content');
  assert.equal(inserted.error, null);
  assert.equal(inserted.status, 201);
  assert.deepEqual(inserted.data.map((m) => m.content), ['first', 'second']);

  const { data, error } = await visitor
    .from('tickets')
    .select('subject, customers(name), messages(content)')
    .eq('id', ticketId)
    .order('content', { referencedTable: 'messages', ascending: false });
  assert.equal(error, null);
  assert.deepEqual(data, [
    { subject: 'From supabase-js', customers: { name: 'JS visitor' }, messages: [{ content: 'second' }, { content: 'first' }] },
  ]);
});

test('minimal insert returns no data', async () => {
  const { data, error, status } = await visitor
    .from('messages')
    .insert({ ticket_id: ticketId, sender_type: 'customer', sender_id: userId, content: 'minimal' });
  assert.equal(error, null);
  assert.equal(status, 201);
  assert.equal(data, null);
});

test('count and head', async () => {
  const { count, error } = await visitor.from('tickets').select('*', { count: 'exact', head: true });
  assert.equal(error, null);
  assert.equal(count, 1);
  const paged = await visitor.from('messages').select('id', { count: 'exact' }).eq('ticket_id', ticketId).range(0, 0);
  assert.equal(paged.data.length, 1);
  assert.equal(paged.count, 3);
});

test('single and maybeSingle', async () => {
  const single = await visitor.from('tickets').select('subject').eq('id', ticketId).single();
  assert.deepEqual(single.data, { subject: 'From supabase-js' });
  const none = await visitor.from('tickets').select('subject').eq('subject', 'nothing').single();
  assert.equal(none.status, 406);
  assert.equal(none.error.code, 'PGRST116');
  const maybe = await visitor.from('tickets').select('subject').eq('subject', 'nothing').maybeSingle();
  assert.equal(maybe.error, null);
  assert.equal(maybe.data, null);
});

test('rpc: allowed for the service role, 42501 for a visitor', async () => {
  const args = { range_start: '2000-01-01T00:00:00Z', range_end: '2100-01-01T00:00:00Z' };
  const allowed = await service.rpc('tickets_per_day', args).eq('status', 'open');
  assert.equal(allowed.error, null);
  assert.ok(allowed.data.length >= 1);
  const refused = await visitor.rpc('ticket_metrics', args);
  assert.equal(refused.status, 403);
  assert.equal(refused.error.code, '42501');
  assert.equal(refused.error.message, 'Only support agents can read analytics');
});

test('error shape: code, message, details, hint', async () => {
  const { error, status } = await visitor.from('nowhere').select('*');
  assert.equal(status, 404);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'details', 'hint', 'message']);
  assert.equal(error.code, 'PGRST205');
  const forged = await visitor
    .from('messages')
    .insert({ ticket_id: ticketId, sender_type: 'admin', sender_id: userId, content: 'forged' });
  assert.equal(forged.status, 403);
  assert.equal(forged.error.code, '42501');
});
