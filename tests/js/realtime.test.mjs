// supabase-js (vsn 2.0.0, binary broadcast frames) against supadesk's /realtime/v1.
// Run by tests/realtime/test_rt_js.py, which passes the server and the tokens through the
// environment and plays the other party (supabase-py) on stdin/stdout cues.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import readline from 'node:readline'
import { createClient } from '@supabase/supabase-js'

const env = process.env
// Driven by tests/realtime/test_rt_js.py (it starts the server and plays the other party).
const skip = env.API_URL ? false : 'run through .venv/bin/pytest tests/realtime/test_rt_js.py'
const lines = readline.createInterface({ input: process.stdin })
const waiting = []
const early = [] // answers that came before this side asked for them
lines.on('line', (line) => { const w = waiting.shift(); if (w) w(line); else early.push(line) })
after(() => {
  lines.close()
  // realtime-js keeps timers alive after disconnect(); end once the report is written
  setTimeout(() => process.exit(process.exitCode ?? 0), 500)
})
const nextCue = () => new Promise((resolve) => (early.length ? resolve(early.shift()) : waiting.push(resolve)))
const cue = (text) => process.stdout.write(`CUE ${text}\n`)
const LIMIT_MS = 60000

// Resolves when `predicate()` holds, checked each time `notify` is called (by the callbacks).
function condition(predicate) {
  let release
  const done = new Promise((resolve) => { release = resolve })
  const check = () => { if (predicate()) release(true) }
  const timer = setTimeout(() => release(predicate()), LIMIT_MS)
  done.finally(() => clearTimeout(timer))
  return { notify: check, done }
}

const options = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { heartbeatIntervalMs: 5000 } }

function clientWithToken(token) {
  const supabase = createClient(env.API_URL, env.ANON_KEY, options)
  supabase.realtime.setAuth(token) // a session token minted by the test, set directly
  return supabase
}

// Subscribes to INSERTs on messages; resolves once the server said "Subscribed to PostgreSQL".
async function subscribeMessages(supabase, name, got, filter) {
  const states = []
  const subscribed = condition(() => states.some((s) => s?.message === 'Subscribed to PostgreSQL'))
  const binding = { event: 'INSERT', schema: 'public', table: 'messages', ...(filter ? { filter } : {}) }
  const channel = supabase
    .channel(name)
    .on('postgres_changes', binding, (payload) => { got.push(payload); got.notify?.() })
    .on('system', {}, (payload) => { states.push(payload); subscribed.notify() })
    .subscribe((status, err) => { states.push(status); if (err) states.push(String(err)); subscribed.notify() })
  assert.ok(await subscribed.done, JSON.stringify(states))
  return channel
}

// The visitor's unfiltered subscription must carry its own ticket's rows only (RLS): the test side
// writes another visitor's message, then one for this ticket, whose id it answers.
async function onlyOwnRows(supabase, ticketId) {
  const got = []
  const channel = await subscribeMessages(supabase, `inbox-${randomUUID().slice(0, 8)}`, got)
  cue(`subscribed ${ticketId}`)
  const ownId = await nextCue()
  const arrived = condition(() => got.some((p) => p.new.id === ownId))
  got.notify = arrived.notify
  arrived.notify()
  assert.ok(await arrived.done, `own message ${ownId} not delivered: ${JSON.stringify(got)}`)
  for (const payload of got) {
    assert.equal(payload.new.ticket_id, ticketId, `another ticket's row leaked: ${JSON.stringify(payload)}`)
    assert.equal(payload.errors, null)
  }
  await supabase.removeChannel(channel)
}

async function openTicket(supabase) {
  const { data, error } = await supabase.rpc('create_ticket', {
    subject: 'Help from js', message: 'Hello?', email: `js-${randomUUID().slice(0, 8)}@example.com`,
  })
  assert.equal(error, null, JSON.stringify(error))
  return data.ticket.id
}

test('visitor receives the agent message as postgres_changes (vsn 2.0.0)', { skip }, async () => {
  const supabase = clientWithToken(env.VISITOR_TOKEN)
  const got = []
  const channel = await subscribeMessages(supabase, `js-ticket-${env.TICKET_ID}`, got, `ticket_id=eq.${env.TICKET_ID}`)
  const arrived = condition(() => got.length >= 1)
  got.notify = arrived.notify
  cue('subscribed')
  const messageId = await nextCue()
  assert.ok(await arrived.done)
  assert.equal(got[0].eventType, 'INSERT')
  assert.equal(got[0].new.id, messageId, JSON.stringify(got[0]))
  assert.equal(got[0].new.ticket_id, env.TICKET_ID)
  await supabase.removeChannel(channel)
  supabase.realtime.disconnect()
})

test('signed in with supabase.auth, then subscribed: RLS-filtered changes arrive', { skip }, async () => {
  const supabase = createClient(env.API_URL, env.ANON_KEY, options)
  const { error } = await supabase.auth.signInAnonymously()
  assert.equal(error, null)
  await onlyOwnRows(supabase, await openTicket(supabase))
  supabase.realtime.disconnect()
})

test('with the accessToken option, awaiting realtime.setAuth() before subscribing', { skip }, async () => {
  // supabase-js 2.109 passes the accessToken() result to realtime in a promise callback: a
  // channel subscribed in the same tick as createClient() joins with the anon key, and since a
  // token set that way is "manual", it is not re-sent once the join succeeds. Awaiting
  // setAuth() first puts the token in the join.
  const signer = createClient(env.API_URL, env.ANON_KEY, options)
  const { data, error } = await signer.auth.signInAnonymously()
  assert.equal(error, null)
  const ticketId = await openTicket(signer)
  const token = data.session.access_token
  const supabase = createClient(env.API_URL, env.ANON_KEY, { accessToken: async () => token })
  await supabase.realtime.setAuth()
  await onlyOwnRows(supabase, ticketId)
  supabase.realtime.disconnect()
})

test('broadcast and presence between supabase-js and supabase-py', { skip }, async () => {
  const supabase = clientWithToken(env.VISITOR_TOKEN)
  const pings = []
  let synced = {}
  const heard = condition(() => 'py-agent' in synced && pings.length >= 1)
  const channel = supabase.channel(env.ROOM, { config: { presence: { key: 'js-visitor' }, broadcast: { ack: true } } })
  channel
    .on('broadcast', { event: 'ping' }, (message) => { pings.push(message.payload); heard.notify() })
    .on('presence', { event: 'sync' }, () => { synced = channel.presenceState(); heard.notify() })
  const joined = await new Promise((resolve) => channel.subscribe((status) => status === 'SUBSCRIBED' && resolve(true)))
  assert.ok(joined)
  assert.equal(await channel.track({ typing: false }), 'ok')
  cue('joined')
  assert.ok(await heard.done, `py presence and broadcast reached js: ${JSON.stringify({ synced, pings })}`)
  assert.deepEqual(pings, [{ n: 1, from: 'py' }])
  assert.equal(await channel.send({ type: 'broadcast', event: 'pong', payload: { n: 2, from: 'js' } }), 'ok')
  assert.equal(await nextCue(), 'pong received')
  await supabase.removeChannel(channel)
  supabase.realtime.disconnect()
})
