#!/usr/bin/env node
/**
 * A stand-in for `supadesk start` so the built widget can be exercised in a real browser before the
 * real server surfaces exist: serves dist/widget like the real server will (/widget, /widget.js,
 * /widget/*, /supadesk-config.json) and answers the few auth / functions / rest / storage calls the
 * widget makes with in-memory data. No realtime (the widget then shows its "paused" banner).
 * NOT a reference for the server: it implements just enough of the contract for smoke tests.
 *
 *   node frontend/widget/tests/browser/mock-stack.mjs [port]      (default 0 = a free port; prints the URL)
 * Serves frontend/dist/widget, or $WIDGET_OUT_DIR when set (same variable as vite.widget.config.ts).
 */
import { createHmac, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = process.env.WIDGET_OUT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '../../../dist/widget')
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' }

function jwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`
  return `${body}.${createHmac('sha256', 'mock-secret').update(body).digest('base64url')}`
}
const ANON_KEY = jwt({ role: 'anon', iss: 'supadesk-mock', exp: 4102444800 })

const db = { tickets: [], messages: [], attachments: [], customers: [], uploads: new Map() }
let ticketNumber = 0
const now = () => new Date().toISOString().replace('Z', '000+00:00')

function send(res, status, body, headers = {}) {
  const data = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', ...headers })
  res.end(data)
}

function staticFile(res, file) {
  if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, { error: 'not found' })
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' })
  res.end(readFileSync(file))
}

async function body(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  return Buffer.concat(chunks)
}

function session(userId) {
  const exp = Math.floor(Date.now() / 1000) + 3600
  const user = { id: userId, aud: 'authenticated', role: 'authenticated', is_anonymous: true, app_metadata: {}, user_metadata: {}, created_at: new Date().toISOString() }
  return {
    access_token: jwt({ sub: userId, role: 'authenticated', aud: 'authenticated', is_anonymous: true, exp, session_id: randomUUID() }),
    refresh_token: randomUUID(),
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: exp,
    user,
  }
}

function userOf(req) {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
  try {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub ?? null
  } catch {
    return null
  }
}

/** Minimal PostgREST: eq / in / gte filters, order ignored except created_at,id ascending/descending. */
function rest(table, url, user) {
  const customer = db.customers.find((c) => c.user_id === user)
  let rows = {
    tickets: db.tickets.filter((t) => t.customer_id === customer?.id),
    messages: db.messages.filter((m) => db.tickets.some((t) => t.id === m.ticket_id && t.customer_id === customer?.id)),
    attachments: db.attachments.filter((a) => db.tickets.some((t) => t.id === a.ticket_id && t.customer_id === customer?.id)),
    customers: customer ? [customer] : [],
  }[table]
  if (!rows) return null
  for (const [key, value] of url.searchParams) {
    if (['select', 'order', 'limit', 'offset'].includes(key)) continue
    const [op, ...rest] = value.split('.')
    const arg = rest.join('.')
    if (op === 'eq') rows = rows.filter((r) => String(r[key]) === arg)
    if (op === 'in') rows = rows.filter((r) => arg.replace(/[()]/g, '').split(',').includes(String(r[key])))
    if (op === 'gte') rows = rows.filter((r) => String(r[key]) >= arg)
  }
  const order = url.searchParams.get('order') ?? ''
  const desc = order.includes('desc')
  return rows.slice().sort((a, b) => (a.created_at < b.created_at ? -1 : 1) * (desc ? -1 : 1))
}

const functions = {
  'create-ticket'(input, user, origin) {
    const details = {}
    if (!input.subject?.trim() || input.subject.length > 200) details.subject = 'Subject must be 1-200 characters'
    if (!input.message?.trim() || input.message.length > 5000) details.message = 'Message must be 1-5000 characters'
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email ?? '')) details.email = 'Invalid email'
    if (Object.keys(details).length) return [400, { error: { code: 'validation_failed', message: 'Invalid input', details } }]
    let customer = db.customers.find((c) => c.user_id === user)
    if (!customer) db.customers.push((customer = { id: randomUUID(), user_id: user, email: input.email, name: input.name ?? null }))
    const t = { id: randomUUID(), number: ++ticketNumber, customer_id: customer.id, subject: input.subject, status: 'open', priority: 'normal', created_at: now(), updated_at: now(), last_message_at: now() }
    const m = { id: randomUUID(), ticket_id: t.id, sender_type: 'customer', sender_id: user, content: input.message, client_id: input.client_id ?? randomUUID(), created_at: now() }
    db.tickets.push(t)
    db.messages.push(m)
    void origin
    return [201, { ticket: t, message: m, customer }]
  },
  'add-message'(input, user) {
    const existing = db.messages.find((m) => m.ticket_id === input.ticket_id && m.client_id === input.client_id)
    if (existing) return [200, { message: existing, attachments: db.attachments.filter((a) => a.message_id === existing.id) }]
    const m = { id: randomUUID(), ticket_id: input.ticket_id, sender_type: 'customer', sender_id: user, content: input.content, client_id: input.client_id, created_at: now() }
    db.messages.push(m)
    const attachments = (input.attachments ?? []).map((a) => ({
      id: randomUUID(),
      ticket_id: input.ticket_id,
      message_id: m.id,
      file_name: a.file_name,
      mime_type: a.mime_type,
      size_bytes: db.uploads.get(a.object_path)?.length ?? 0,
      object_path: a.object_path,
    }))
    db.attachments.push(...attachments)
    return [201, { message: m, attachments }]
  },
  'get-signed-url'(input, _user, origin) {
    if (input.action === 'upload') {
      const path = `tickets/${input.ticket_id}/${randomUUID()}-${input.file_name}`
      return [200, { path, signed_url: `${origin}/storage/v1/object/upload/sign/support-attachments/${path}?token=t`, token: 't', expires_in: 7200 }]
    }
    const a = db.attachments.find((x) => x.id === input.attachment_id)
    if (!a) return [404, { error: { code: 'not_found', message: 'Attachment not found' } }]
    return [200, { signed_url: `${origin}/storage/v1/object/sign/support-attachments/${a.object_path}?token=t`, expires_in: 3600 }]
  },
}

export function startMockStack(port = 0) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`)
    const origin = url.origin
    const path = url.pathname
    if (req.method === 'OPTIONS')
      return send(res, 204, '', { 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE' })
    if (path === '/supadesk-config.json') return send(res, 200, { supabaseUrl: origin, anonKey: ANON_KEY })
    if (path === '/widget' || path === '/widget/') return staticFile(res, join(dist, 'demo.html'))
    if (path === '/widget.js') return staticFile(res, join(dist, 'widget.js'))
    if (path === '/csp-host.html') {
      // A customer page with a strict CSP: no inline styles or scripts, Trusted Types enforced.
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'self'; style-src 'self'; script-src 'self'; require-trusted-types-for 'script'",
      })
      return res.end(
        `<!doctype html><html lang="en"><head><title>Strict CSP host</title></head><body><main><h1>Strict CSP host</h1></main>` +
          `<script src="/widget.js" data-api-url="${origin}" data-anon-key="${ANON_KEY}"></script></body></html>`,
      )
    }
    if (path.startsWith('/widget/')) return staticFile(res, join(dist, normalize(path.slice('/widget/'.length)).replace(/^(\.\.[/\\])+/, '')))
    if (path === '/auth/v1/signup' && req.method === 'POST') return send(res, 200, session(randomUUID()))
    if (path === '/auth/v1/user') return send(res, 200, { id: userOf(req), is_anonymous: true })
    if (path.startsWith('/functions/v1/')) {
      const fn = functions[path.slice('/functions/v1/'.length)]
      if (!fn) return send(res, 404, { error: { code: 'not_found', message: 'No such function' } })
      const [status, out] = fn(JSON.parse((await body(req)).toString() || '{}'), userOf(req), origin)
      return send(res, status, out)
    }
    if (path.startsWith('/rest/v1/')) {
      const rows = rest(path.slice('/rest/v1/'.length), url, userOf(req))
      return rows ? send(res, 200, rows) : send(res, 404, { code: '42P01', message: 'relation does not exist' })
    }
    if (path.startsWith('/storage/v1/object/upload/sign/support-attachments/') && req.method === 'PUT') {
      db.uploads.set(decodeURIComponent(path.slice('/storage/v1/object/upload/sign/support-attachments/'.length)), await body(req))
      return send(res, 200, { Key: path })
    }
    if (path.startsWith('/storage/v1/object/sign/support-attachments/')) {
      const data = db.uploads.get(decodeURIComponent(path.slice('/storage/v1/object/sign/support-attachments/'.length)))
      if (!data) return send(res, 404, { message: 'Object not found' })
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      return res.end(data)
    }
    send(res, 404, { error: 'not found' })
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, db })))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startMockStack(Number(process.argv[2] ?? 0))
  console.log(`mock stack on ${url} (widget demo: ${url}/widget)`)
}
