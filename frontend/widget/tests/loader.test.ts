import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { boot, type SupadeskApi } from '../src/loader/boot'
import type { Mount } from '../src/loader/contract'
import { PROTOCOL } from '../src/shared/protocol'
import {
  ANON,
  bootLoaded,
  bootStub,
  errors,
  events,
  fakeUi,
  FRAME_ORIGIN,
  frame,
  launcher,
  script,
} from './loader-fixtures'

function fromFrame(data: unknown, init: Partial<MessageEventInit> = {}): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin: FRAME_ORIGIN, source: frame()!.contentWindow, ...init }))
}
function privacy(): void {
  expect(frame()).toBeNull()
  expect(document.cookie).toBe('')
  expect(localStorage.length).toBe(0)
  expect(sessionStorage.length).toBe(0)
}

beforeEach(() => {
  delete window.supadesk
  document.body.innerHTML = ''
  document.cookie.split(';').forEach((c) => (document.cookie = c.split('=')[0] + '=;max-age=0'))
  localStorage.clear()
  sessionStorage.clear()
})
afterEach(() => {
  const api = window.supadesk as SupadeskApi | undefined
  if (api?.loaded) api('shutdown')
})

describe('loader: page weight and privacy before the first open', () => {
  it('injects only the launcher: no iframe, no cookie, no storage, loader-ui not fetched', () => {
    const { ui } = bootStub()
    expect(launcher()).toBeInTheDocument()
    expect(launcher()).toHaveAccessibleName('Open support chat')
    expect(launcher()).toHaveAttribute('aria-expanded', 'false')
    expect(ui.requests).toEqual([])
    privacy()
  })

  it('fetches loader-ui on hover or focus, but opens nothing', () => {
    for (const how of ['pointerenter', 'focus']) {
      const { api, ui } = bootStub()
      launcher().dispatchEvent(new Event(how))
      launcher().dispatchEvent(new Event(how))
      expect(ui.requests).toEqual([{ origin: FRAME_ORIGIN, nonce: '' }])
      ui.finish()
      expect(launcher()).toHaveAttribute('aria-expanded', 'false')
      privacy()
      api('shutdown')
    }
  })

  it('labels the launcher and reflects open/closed state', () => {
    bootLoaded()
    const button = launcher()
    expect(button).toHaveAccessibleName('Open support chat')
    expect(button).toHaveAttribute('aria-expanded', 'false')
    button.click()
    expect(button).toHaveAccessibleName('Close support chat')
    expect(button).toHaveAttribute('aria-expanded', 'true')
    button.click()
    expect(button).toHaveAccessibleName('Open support chat')
    expect(frame()!.hidden).toBe(true)
  })

  it('creates the iframe on first open, on the widget.js origin, with settings in the fragment', () => {
    bootLoaded({ color: '#ff0000', locale: 'de', greeting: 'Hallo' })
    expect(launcher()).toHaveAccessibleName('Support-Chat öffnen')
    launcher().click()
    const el = frame()!
    const url = new URL(el.src)
    expect(url.origin).toBe(FRAME_ORIGIN)
    expect(url.pathname).toBe('/widget/frame.html')
    expect(url.search).toBe('')
    const hash = new URLSearchParams(url.hash.slice(1))
    expect(hash.get('origin')).toBe(window.location.origin)
    expect(hash.get('api')).toBe('https://xyz.supabase.co')
    expect(hash.get('key')).toBe(ANON)
    expect(hash.get('color')).toBe('#ff0000')
    expect(hash.get('locale')).toBe('de')
    expect(hash.get('greeting')).toBe('Hallo')
    expect(el.title).toBe('Support-Chat')
    expect(el.id).toBe('supadesk-frame')
    expect(launcher()).toHaveAccessibleName('Support-Chat schließen')
  })

  it('uses a maximal z-index, prefixed classes and the position attribute', () => {
    bootLoaded({ position: 'left' })
    launcher().click()
    const root = document.querySelector('.supadesk-root')!
    expect(root).toHaveClass('supadesk-left')
    expect(root.querySelector('style')!.textContent).toContain('z-index:2147483647')
    expect(root.querySelectorAll('[class]').length).toBe(3) // launcher, badge, iframe
    for (const el of root.querySelectorAll('[class]')) expect(el.getAttribute('class')).toMatch(/^supadesk-/)
  })

  it('picks black or white for the icon against the launcher colour', () => {
    const { api } = bootStub({ color: '#ffeb3b' })
    expect(launcher().style.color).toBe('rgb(17, 17, 17)')
    api('shutdown')
    bootStub({ color: '#123' })
    expect(launcher().style.color).toBe('rgb(255, 255, 255)')
  })
})

describe('loader: fetching loader-ui on demand', () => {
  it('a click before loader-ui has loaded fetches it once and then opens, however often it was clicked', () => {
    const { ui } = bootStub()
    const seen = events()
    launcher().click()
    launcher().click()
    expect(ui.requests).toHaveLength(1)
    expect(frame()).toBeNull()
    ui.finish()
    expect(frame()).not.toBeNull()
    expect(launcher()).toHaveAccessibleName('Close support chat')
    expect(seen).toEqual(['open'])
  })

  it('passes the host page nonce of the widget.js tag on', () => {
    const ui = fakeUi()
    const tag = script()
    tag.nonce = 'n0nce'
    boot(window, tag, ui.loadUi)
    launcher().focus()
    expect(ui.requests).toEqual([{ origin: FRAME_ORIGIN, nonce: 'n0nce' }])
  })

  it('open and toggle fetch loader-ui; identify and close wait for the first open', () => {
    const { api, ui } = bootStub()
    api('identify', { name: 'Ada' })
    api('close')
    expect(ui.requests).toHaveLength(0)
    api('toggle')
    expect(ui.requests).toHaveLength(1)
    ui.finish()
    expect(launcher()).toHaveAttribute('aria-expanded', 'true')
  })

  it('replays calls made before loader-ui loaded, in order, and reports the bad ones then', () => {
    const { api, ui } = bootStub()
    const seen = errors()
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    api('identify', { email: 'x' })
    api('opne')
    api('open')
    expect(seen).toEqual([])
    ui.finish()
    expect(seen).toEqual(['supadesk("identify"): invalid email "x"', expect.stringMatching(/supadesk\("opne"\): unknown command/)])
    expect(spy).toHaveBeenCalledTimes(2)
    expect(frame()).not.toBeNull()
  })

  it('reports a failed fetch and tries again on the next click', () => {
    const { ui } = bootStub()
    const seen = errors()
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    launcher().click()
    ui.fail()
    expect(seen).toEqual([`supadesk: could not load loader-ui.js from ${FRAME_ORIGIN}`])
    expect(launcher()).toBeInTheDocument()
    launcher().click()
    expect(ui.requests).toHaveLength(2)
    ui.finish()
    expect(frame()).not.toBeNull()
  })

  it('shutdown before loader-ui loaded removes everything and never mounts', () => {
    const { api, ui } = bootStub()
    const mount = vi.fn<Mount>()
    api('open')
    api('shutdown')
    expect(document.querySelector('.supadesk-root')).toBeNull()
    expect(window.supadesk).toBeUndefined()
    ui.finish(mount)
    expect(mount).not.toHaveBeenCalled()
    expect(frame()).toBeNull()
  })

  it.each([
    [{ 'api-url': '' }, /data-api-url/],
    [{ 'anon-key': 'sb_secret_abc' }, /SECRET/],
  ])('refuses to run with %o: reported when loader-ui mounts, launcher removed, no iframe', (attrs, message) => {
    const { api, ui } = bootStub(attrs)
    const seen = errors()
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    api('open')
    ui.finish()
    expect(seen).toEqual([expect.stringMatching(message)])
    expect(document.querySelector('.supadesk-root')).toBeNull()
    expect(window.supadesk).toBeUndefined()
    expect(frame()).toBeNull()
  })
})

describe('loader: queue API', () => {
  it('takes over calls queued by the host stub before widget.js loaded, in order', () => {
    const q: unknown[][] = [['identify', { email: 'a@b.co' }], ['open']]
    window.supadesk = { q } as never
    const seen = events()
    const ui = fakeUi()
    boot(window, script(), ui.loadUi)
    expect(ui.requests).toHaveLength(1) // the queued open
    ui.finish()
    expect(frame()).not.toBeNull()
    expect(launcher()).toHaveAttribute('aria-expanded', 'true')
    expect(seen).toEqual(['ready', 'open'])
  })

  it('fires supadesk:ready after taking over the queue, so a ready listener runs after it', () => {
    window.supadesk = { q: [['close']] } as never
    const order: string[] = []
    window.addEventListener('supadesk:ready', () => (window.supadesk as SupadeskApi)('open'), { once: true })
    window.addEventListener('supadesk:open', () => order.push('open'))
    window.addEventListener('supadesk:close', () => order.push('close'))
    const ui = fakeUi()
    boot(window, script(), ui.loadUi)
    ui.finish()
    expect(order).toEqual(['open']) // close (queued first) was a no-op, then open
  })

  it('reports a bad queued call as supadesk:error and keeps going', () => {
    window.supadesk = { q: [['explode'], ['open']] } as never
    const seen = errors()
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const ui = fakeUi()
    boot(window, script(), ui.loadUi)
    ui.finish()
    expect(seen[0]).toMatch(/unknown command/)
    expect(spy).toHaveBeenCalled()
    expect(frame()).not.toBeNull()
  })

  it('throws descriptive errors for bad direct calls once loader-ui is there', () => {
    const api = bootLoaded()
    expect(() => api('nope')).toThrow(/supadesk\("nope"\): unknown command; use open,close,toggle,identify,shutdown/)
    expect(() => api('open', 1)).toThrow(/supadesk\("open"\): takes no argument/)
    expect(() => api('identify', { email: 'x' })).toThrow(/invalid email "x"/)
  })

  it('open, close and toggle drive the panel and fire namespaced events', () => {
    const seen = events()
    const api = bootLoaded()
    api('open')
    api('open')
    api('toggle')
    api('toggle')
    api('close')
    expect(seen).toEqual(['ready', 'open', 'close', 'open', 'close'])
  })

  it('announces itself with its version', () => {
    const details: unknown[] = []
    window.addEventListener('supadesk:ready', (e) => details.push((e as CustomEvent).detail))
    const { api } = bootStub()
    expect(details).toEqual([{ version: '1' }])
    expect(api.version).toBe('1')
    expect(window.supadesk).toBe(api)
  })

  it('ignores a second copy of widget.js', () => {
    bootStub()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(boot(window, script(), fakeUi().loadUi)).toBeNull()
    expect(document.querySelectorAll('.supadesk-launcher')).toHaveLength(1)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/loaded twice/))
  })

  it('shutdown removes everything it added', () => {
    const api = bootLoaded()
    api('open')
    api('shutdown')
    expect(document.querySelector('.supadesk-root')).toBeNull()
    expect(window.supadesk).toBeUndefined()
  })

  it('refuses to start without its own script tag', () => {
    const seen = errors()
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(boot(window, null, fakeUi().loadUi)).toBeNull()
    expect(launcher()).toBeNull()
    expect(seen[0]).toMatch(/widget\.js/)
  })
})

describe('loader: postMessage bridge', () => {
  function openWithFrame(): { api: SupadeskApi; post: ReturnType<typeof vi.fn> } {
    const api = bootLoaded()
    api('open')
    const post = vi.fn()
    Object.defineProperty(frame()!.contentWindow!, 'postMessage', { value: post, configurable: true })
    return { api, post }
  }

  it('queues messages until the frame is ready, then posts them to the frame origin only', () => {
    const { api, post } = openWithFrame()
    api('identify', { name: 'Ada' })
    expect(post).not.toHaveBeenCalled()
    fromFrame({ p: PROTOCOL, type: 'ready' })
    const sent = post.mock.calls.map(([data, target]) => [(data as { type: string }).type, target])
    expect(sent).toEqual([
      ['open', FRAME_ORIGIN],
      ['identify', FRAME_ORIGIN],
      ['hello', FRAME_ORIGIN],
    ])
    expect(post.mock.calls.every(([, target]) => target !== '*')).toBe(true)
    expect(post.mock.calls[1][0]).toMatchObject({ payload: { name: 'Ada' } })
  })

  it('ignores messages from another origin', () => {
    openWithFrame()
    const seen = events()
    fromFrame({ p: PROTOCOL, type: 'unread', payload: { count: 3 } }, { origin: 'https://evil.example' })
    expect(seen).toEqual([])
    expect(document.querySelector('.supadesk-badge')!.hasAttribute('hidden')).toBe(true)
  })

  it('ignores messages from the right origin but another window', () => {
    openWithFrame()
    const seen = events()
    fromFrame({ p: PROTOCOL, type: 'close' }, { source: window })
    expect(seen).toEqual([])
    expect(launcher()).toHaveAttribute('aria-expanded', 'true')
  })

  it('ignores messages that are not our envelopes', () => {
    openWithFrame()
    const seen = events()
    fromFrame({ type: 'close' })
    fromFrame('close')
    expect(seen).toEqual([])
  })

  it('shows the unread count on the badge and as the launcher description', () => {
    openWithFrame()
    const counts: number[] = []
    window.addEventListener('supadesk:unread', (e) => counts.push((e as CustomEvent).detail.count))
    fromFrame({ p: PROTOCOL, type: 'unread', payload: { count: 3 } })
    const badge = document.querySelector<HTMLElement>('.supadesk-badge')!
    expect(badge.hidden).toBe(false)
    expect(badge.textContent).toBe('3')
    expect(badge).toHaveAttribute('aria-hidden', 'true')
    expect(launcher()).toHaveAccessibleDescription('3 unread messages')
    expect(launcher()).toHaveAccessibleName('Close support chat')
    fromFrame({ p: PROTOCOL, type: 'unread', payload: { count: 0 } })
    expect(badge.hidden).toBe(true)
    expect(counts).toEqual([3, 0])
  })

  it('treats a malformed unread payload as zero instead of throwing', () => {
    openWithFrame()
    fromFrame({ p: PROTOCOL, type: 'unread' })
    fromFrame({ p: PROTOCOL, type: 'unread', payload: { count: 'lots' } })
    expect(document.querySelector<HTMLElement>('.supadesk-badge')!.hidden).toBe(true)
  })

  it('re-emits message and ticket-created as window events', () => {
    openWithFrame()
    const details: unknown[] = []
    window.addEventListener('supadesk:message', (e) => details.push((e as CustomEvent).detail))
    window.addEventListener('supadesk:ticket-created', (e) => details.push((e as CustomEvent).detail))
    fromFrame({ p: PROTOCOL, type: 'message', payload: { ticketId: 't1', messageId: 'm1', createdAt: 'x', preview: 'hi' } })
    fromFrame({ p: PROTOCOL, type: 'ticket-created', payload: { ticketId: 't1', number: 7 } })
    expect(details).toEqual([
      { ticketId: 't1', messageId: 'm1', createdAt: 'x', preview: 'hi' },
      { ticketId: 't1', number: 7 },
    ])
  })

  it('closes on the frame\'s request and gives focus back to the launcher', () => {
    openWithFrame()
    fromFrame({ p: PROTOCOL, type: 'close' })
    expect(frame()!.hidden).toBe(true)
    expect(document.activeElement).toBe(launcher())
  })

  it('Escape on the launcher closes the panel', () => {
    openWithFrame()
    launcher().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(frame()!.hidden).toBe(true)
    expect(launcher()).toHaveAttribute('aria-expanded', 'false')
  })

  it('leaves window.onmessage alone', () => {
    const mine = (): void => undefined
    window.onmessage = mine
    openWithFrame()
    expect(window.onmessage).toBe(mine)
    window.onmessage = null
  })

  it('stops listening after shutdown', () => {
    const { api } = openWithFrame()
    const seen = events()
    const old = frame()!.contentWindow
    api('shutdown')
    window.dispatchEvent(new MessageEvent('message', { data: { p: PROTOCOL, type: 'unread', payload: { count: 1 } }, origin: FRAME_ORIGIN, source: old }))
    expect(seen).toEqual([])
  })
})

describe('loader: phone keyboard', () => {
  it('sizes the full-screen panel to the visual viewport, so the keyboard shrinks it', () => {
    const vv = Object.assign(new EventTarget(), { height: 700, offsetTop: 0 })
    Object.defineProperty(window, 'visualViewport', { value: vv, configurable: true })
    const width = vi.spyOn(window, 'innerWidth', 'get').mockReturnValue(375)
    try {
      const api = bootLoaded()
      api('open')
      expect(frame()!.style.height).toBe('700px')
      Object.assign(vv, { height: 400, offsetTop: 40 })
      vv.dispatchEvent(new Event('resize'))
      expect(frame()!.style.height).toBe('400px')
      expect(frame()!.style.top).toBe('40px')
      width.mockReturnValue(1280)
      vv.dispatchEvent(new Event('resize'))
      expect(frame()!.style.height).toBe('')
    } finally {
      ;(window.supadesk as SupadeskApi | undefined)?.('shutdown')
      Reflect.deleteProperty(window, 'visualViewport')
    }
  })
})
