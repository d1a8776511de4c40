// /auth/v1 through the unchanged supabase-js (the frontend's client) under Node.
// Needs SUPADESK_API_URL and SUPADESK_ANON_KEY (tests/auth/test_auth_js_client.py sets them).
// Run: node --experimental-websocket --test auth.test.mjs (Node 20 keeps WebSocket behind the flag).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';

import { createClient } from '@supabase/supabase-js';

const url = process.env.SUPADESK_API_URL;
const anonKey = process.env.SUPADESK_ANON_KEY;
assert.ok(url && anonKey, 'set SUPADESK_API_URL and SUPADESK_ANON_KEY');

const PASSWORD = 'correct-horse-battery';

function client() {
  return createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

function payload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function uniqueEmail(prefix) {
  return `${prefix}-${randomUUID().slice(0, 10)}@example.com`;
}

test('anonymous sign-in gives a visitor session and getUser finds it', async () => {
  const visitor = client();
  const { data, error } = await visitor.auth.signInAnonymously();
  assert.equal(error, null);
  assert.equal(data.user.is_anonymous, true);
  assert.equal(payload(data.session.access_token).is_anonymous, true);
  assert.equal(payload(data.session.access_token).role, 'authenticated');

  const fetched = await visitor.auth.getUser();
  assert.equal(fetched.error, null);
  assert.equal(fetched.data.user.id, data.user.id);

  const other = await client().auth.signInAnonymously();
  assert.notEqual(other.data.user.id, data.user.id);
});

test('password sign-in, getUser, refreshSession and signOut', async () => {
  const email = uniqueEmail('js');
  const signedUp = await client().auth.signUp({ email, password: PASSWORD });
  assert.equal(signedUp.error, null);
  assert.ok(signedUp.data.session, 'auto-confirm returns a session');

  const agent = client();
  const signedIn = await agent.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signedIn.error, null);
  assert.equal(signedIn.data.user.email, email);
  assert.deepEqual(payload(signedIn.data.session.access_token).amr.map((e) => e.method), ['password']);

  const user = await agent.auth.getUser();
  assert.equal(user.error, null);
  assert.equal(user.data.user.id, signedIn.data.user.id);

  const refreshed = await agent.auth.refreshSession();
  assert.equal(refreshed.error, null);
  assert.notEqual(refreshed.data.session.refresh_token, signedIn.data.session.refresh_token);
  assert.equal(refreshed.data.user.id, signedIn.data.user.id);

  const oldAccess = refreshed.data.session.access_token;
  const oldRefresh = refreshed.data.session.refresh_token;
  const signedOut = await agent.auth.signOut();
  assert.equal(signedOut.error, null);
  assert.equal((await agent.auth.getSession()).data.session, null);

  const afterUser = await client().auth.getUser(oldAccess);
  assert.equal(afterUser.error?.name, 'AuthSessionMissingError');
  const afterRefresh = await client().auth.refreshSession({ refresh_token: oldRefresh });
  assert.equal(afterRefresh.error?.code, 'refresh_token_not_found');
});

test('errors carry GoTrue codes', async () => {
  const wrong = await client().auth.signInWithPassword({ email: uniqueEmail('nobody'), password: PASSWORD });
  assert.equal(wrong.error?.status, 400);
  assert.equal(wrong.error?.code, 'invalid_credentials');
  assert.equal(wrong.error?.message, 'Invalid login credentials');

  const weak = await client().auth.signUp({ email: uniqueEmail('weak'), password: 'short' });
  assert.equal(weak.error?.code, 'weak_password');
  assert.deepEqual(weak.error?.reasons, ['length']);
});
