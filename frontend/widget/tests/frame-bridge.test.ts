import { describe, expect, it, vi } from 'vitest'
import { createBridge } from '../src/frame/bridge'
import { readFrameConfig } from '../src/frame/frame-config'
import { PROTOCOL } from '../src/shared/protocol'

const HOST = 'https://shop.example'

/** A window whose parent is a separate object we can spy on and use as event.source. */
function frameWindow() {
  const parent = { postMessage: vi.fn() } as unknown as Window & { postMessage: ReturnType<typeof vi.fn> }
  const target = new EventTarget()
  const win = Object.assign(target, { parent }) as unknown as Window
  const deliver = (data: unknown, origin = HOST, source: unknown = parent): void => {
    const event = new MessageEvent('message', { data, origin })
    Object.defineProperty(event, 'source', { value: source })
    target.dispatchEvent(event)
  }
  return { win, parent, deliver }
}

describe('frame bridge', () => {
  it('posts envelopes to the declared host origin, never "*"', () => {
    const { win, parent } = frameWindow()
    const bridge = createBridge(win, HOST)
    bridge.send({ type: 'ready' })
    bridge.send({ type: 'unread', payload: { count: 2 } })
    expect(parent.postMessage.mock.calls).toEqual([
      [{ p: PROTOCOL, type: 'ready' }, HOST],
      [{ p: PROTOCOL, type: 'unread', payload: { count: 2 } }, HOST],
    ])
  })

  it('accepts open/close/identify from the host origin and parent window only', () => {
    const { win, parent, deliver } = frameWindow()
    const seen: unknown[] = []
    createBridge(win, HOST).listen((m) => seen.push(m))
    deliver({ p: PROTOCOL, type: 'open' })
    deliver({ p: PROTOCOL, type: 'open' }, 'https://evil.example')
    deliver({ p: PROTOCOL, type: 'close' }, HOST, {})
    deliver({ type: 'close' })
    deliver({ p: PROTOCOL, type: 'hello' })
    deliver({ p: PROTOCOL, type: 'identify', payload: { email: 'a@b.co', name: 'Ada', admin: true } }, HOST, parent)
    deliver({ p: PROTOCOL, type: 'identify', payload: { email: 42 } })
    expect(seen).toEqual([{ type: 'open' }, { type: 'identify', payload: { email: 'a@b.co', name: 'Ada' } }])
  })

  it('stops listening when asked', () => {
    const { win, deliver } = frameWindow()
    const seen: unknown[] = []
    const off = createBridge(win, HOST).listen((m) => seen.push(m))
    off()
    deliver({ p: PROTOCOL, type: 'open' })
    expect(seen).toEqual([])
  })
})

describe('readFrameConfig', () => {
  const hash = (o: Record<string, string>) => '#' + new URLSearchParams(o)
  const good = { origin: HOST, api: 'http://127.0.0.1:54321/', key: 'anon', color: '#123456', locale: 'de', greeting: 'Hallo' }

  it('reads the fragment the loader wrote', () => {
    expect(readFrameConfig(hash(good))).toEqual({
      parentOrigin: HOST,
      apiUrl: 'http://127.0.0.1:54321',
      anonKey: 'anon',
      color: '#123456',
      locale: 'de',
      greeting: 'Hallo',
    })
  })

  it.each([
    [{ ...good, origin: '*' }, /origin/],
    [{ ...good, origin: 'https://shop.example/path' }, /origin/],
    [{ ...good, origin: '' }, /origin/],
    [{ ...good, api: 'ftp://x' }, /api/],
    [{ ...good, key: '' }, /key/],
  ])('rejects %o', (params, message) => {
    expect(() => readFrameConfig(hash(params))).toThrow(message)
  })

  it('refuses to run for an embedder other than the declared one', () => {
    expect(() => readFrameConfig(hash(good), 'https://evil.example')).toThrow(/different origin/)
    expect(readFrameConfig(hash(good), HOST).parentOrigin).toBe(HOST)
  })

  it('falls back to safe defaults for cosmetic values', () => {
    const cfg = readFrameConfig(hash({ ...good, color: 'url(x)', locale: 'xx', greeting: 'y'.repeat(300) }))
    expect(cfg).toMatchObject({ color: '#2563eb', locale: 'en' })
    expect(cfg.greeting).toHaveLength(200)
  })
})
