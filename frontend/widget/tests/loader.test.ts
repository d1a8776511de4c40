import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { boot, type SupadeskApi } from '../src/loader/boot'
import { PROTOCOL } from '../src/shared/protocol'

const FRAME_ORIGIN = 'https://desk.example.com'
const ANON = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln' // {"role":"anon"}

function script(attrs: Record<string, string> = {}): HTMLScriptElement {
  const el = document.createElement('script')
  el.src = `${FRAME_ORIGIN}/widget.js`
  const all = { 'api-url': 'https://xyz.supabase.co', 'anon-key': ANON, ...attrs }
  for (const [k, v] of Object.entries(all)) el.setAttribute('data-' + k, v)
  return el
}

function launcher(): HTMLButtonElement {
  return document.querySelector('button.supadesk-launcher')!
}
function frame(): HTMLIFrameElement | null {
  return document.querySelector('iframe.supadesk-frame')
}
function events(): string[] {
  const seen: string[] = []
  for (const name of ['ready', 'open', 'close', 'unread', 'message', 'ticket-created', 'error'])
    window.addEventListener('supadesk:' + name, () => seen.push(name))
  return seen
}
function fromFrame(data: unknown, init: Partial<MessageEventInit> = {}): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin: FRAME_ORIGIN, source: frame()!.contentWindow, ...init }))
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
  it('injects only the launcher: no iframe, no cookie, no storage', () => {
    boot(window, script())
    expect(launcher()).toBeInTheDocument()
    expect(frame()).toBeNull()
    expect(document.cookie).toBe('')
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
  })

  it('labels the launcher and reflects open/closed state', () => {
    boot(window, script())
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
    boot(window, script({ color: '#ff0000', locale: 'de', greeting: 'Hallo' }))
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
    expect(launcher()).toHaveAccessibleName('Support-Chat schließen')
  })

  it('uses a maximal z-index, prefixed classes and the position attribute', () => {
    boot(window, script({ position: 'left' }))
    const root = document.querySelector('.supadesk-root')!
    expect(root).toHaveClass('supadesk-left')
    expect(root.querySelector('style')!.textContent).toContain('z-index:2147483647')
    for (const el of root.querySelectorAll('[class]')) expect(el.getAttribute('class')).toMatch(/^supadesk-/)
  })
})

describe('loader: queue API', () => {
  it('replays calls queued by the stub before it loaded, in order', () => {
    const q: unknown[][] = [['identify', { email: 'a@b.co' }], ['open']]
    window.supadesk = { q } as never
    const seen = events()
    boot(window, script())
    expect(frame()).not.toBeNull()
    expect(launcher()).toHaveAttribute('aria-expanded', 'true')
    expect(seen).toEqual(['open', 'ready'])
  })

  it('reports a bad queued call as supadesk:error and keeps going', () => {
    window.supadesk = { q: [['explode'], ['open']] } as never
    const errors: string[] = []
    window.addEventListener('supadesk:error', (e) => errors.push((e as CustomEvent).detail.message))
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    boot(window, script())
    expect(errors[0]).toMatch(/unknown command/)
    expect(spy).toHaveBeenCalled()
    expect(frame()).not.toBeNull()
  })

  it('throws descriptive errors for bad direct calls', () => {
    const api = boot(window, script())!
    expect(() => api('nope')).toThrow(/supadesk\("nope"\): unknown command; use open,close,toggle,identify,shutdown/)
    expect(() => api('open', 1)).toThrow(/supadesk\("open"\): takes no argument/)
    expect(() => api('identify', { email: 'x' })).toThrow(/invalid email "x"/)
  })

  it('open, close and toggle drive the panel and fire namespaced events', () => {
    const seen = events()
    const api = boot(window, script())!
    api('open')
    api('open')
    api('toggle')
    api('toggle')
    api('close')
    expect(seen).toEqual(['ready', 'open', 'close', 'open', 'close'])
  })

  it('ignores a second copy of widget.js', () => {
    boot(window, script())
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(boot(window, script())).toBeNull()
    expect(document.querySelectorAll('.supadesk-launcher')).toHaveLength(1)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/loaded twice/))
  })

  it('shutdown removes everything it added', () => {
    const api = boot(window, script())!
    api('open')
    api('shutdown')
    expect(document.querySelector('.supadesk-root')).toBeNull()
    expect(window.supadesk).toBeUndefined()
  })

  it('refuses to start without its required attributes', () => {
    const errors: string[] = []
    window.addEventListener('supadesk:error', (e) => errors.push((e as CustomEvent).detail.message))
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(boot(window, script({ 'api-url': '' }))).toBeNull()
    expect(launcher()).toBeNull()
    expect(errors[0]).toMatch(/data-api-url/)
  })
})

describe('loader: postMessage bridge', () => {
  function openWithFrame(): { api: SupadeskApi; post: ReturnType<typeof vi.fn> } {
    const api = boot(window, script())!
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

  it('leaves window.onmessage alone', () => {
    const mine = (): void => undefined
    window.onmessage = mine
    openWithFrame()
    expect(window.onmessage).toBe(mine)
    window.onmessage = null
  })
})
