// supabase-js (vsn 2.0.0, binary broadcast frames) against supadesk's /realtime/v1.
// Run by tests/realtime/test_rt_js.py, which passes the server and the tokens through the
// environment and plays the other party (supabase-py) on stdin/stdout cues.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import readline from 'node:readline'
import { createClient } from '@supabase/supabase-js'

const env = process.env
const lines = readline.createInterface({ input: process.stdin })
const waiting = []
lines.on('line', (line) => { const w = waiting.shift(); if (w) w(line) })
after(() => {
  lines.close()
  // realtime-js keeps timers alive after disconnect(); end once the report is written
  setTimeout(() => process.exit(process.exitCode ?? 0), 500)
})
const nextCue = () => new Promise((resolve) => waiting.push(resolve))
const cue = (text) => process.stdout.write(`CUE ${text}\n`)
const until = async (predicate, ms = 15000) => {
  const end = Date.now() + ms
  while (Date.now() < end) { if (predicate()) return true; await new Promise((r) => setTimeout(r, 20)) }
  return predicate()
}

function client(token) {
  const supabase = createClient(env.API_URL, env.ANON_KEY, { realtime: { heartbeatIntervalMs: 5000 } })
  supabase.realtime.setAuth(token) // the visitor's session token (the auth surface would set it on sign-in)
  return supabase
}

test('visitor receives the agent message as postgres_changes (vsn 2.0.0)', async () => {
  const supabase = client(env.VISITOR_TOKEN)
  const got = []
  const states = []
  const channel = supabase
    .channel(`js-ticket-${env.TICKET_ID}`)
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: `ticket_id=eq.${env.TICKET_ID}` },
      (payload) => got.push(payload))
    .on('system', {}, (payload) => states.push(payload))
    .subscribe((status) => states.push(status))
  assert.ok(await until(() => states.some((s) => s?.message === 'Subscribed to PostgreSQL'), 60000))
  cue('subscribed')
  const messageId = await nextCue()
  assert.ok(await until(() => got.length === 1))
  assert.equal(got[0].eventType, 'INSERT')
  assert.equal(got[0].new.id, messageId, JSON.stringify(got[0]))
  assert.equal(got[0].new.ticket_id, env.TICKET_ID)
  await supabase.removeChannel(channel)
  supabase.realtime.disconnect()
})

test('broadcast and presence between supabase-js and supabase-py', async () => {
  const supabase = client(env.VISITOR_TOKEN)
  const pings = []
  let synced = {}
  const channel = supabase.channel(env.ROOM, { config: { presence: { key: 'js-visitor' }, broadcast: { ack: true } } })
  channel
    .on('broadcast', { event: 'ping' }, (message) => pings.push(message.payload))
    .on('presence', { event: 'sync' }, () => { synced = channel.presenceState() })
  const joined = await new Promise((resolve) => channel.subscribe((status) => status === 'SUBSCRIBED' && resolve(true)))
  assert.ok(joined)
  assert.equal(await channel.track({ typing: false }), 'ok')
  cue('joined')
  assert.ok(await until(() => 'py-agent' in synced), 'py presence reached js')
  assert.ok(await until(() => pings.length === 1), 'py broadcast reached js')
  assert.deepEqual(pings[0], { n: 1, from: 'py' })
  assert.equal(await channel.send({ type: 'broadcast', event: 'pong', payload: { n: 2, from: 'js' } }), 'ok')
  assert.equal(await nextCue(), 'pong received')
  await supabase.removeChannel(channel)
  supabase.realtime.disconnect()
})
