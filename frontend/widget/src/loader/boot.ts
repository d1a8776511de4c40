/**
 * The loader: installs `window.supadesk(command, arg)`, replays the calls queued by the stub snippet,
 * injects the launcher (FloatingChatButton) and, on the first open only, the isolated iframe.
 * Until that first open it sets no cookie, writes no storage and signs nobody in.
 *
 * Launcher, bridge and API share one closure on purpose: widget.js has a 2 KB gzip goal and
 * closure variables minify, object properties do not.
 *
 * Strict host CSPs keep working: styles go into a constructed stylesheet (not a <style> element) and
 * no innerHTML is used (Trusted Types); the host only has to allow our origin in frame-src.
 *
 * Bridge: we post to the frame with targetOrigin = the frame's origin, and accept a message only when
 * event.origin is that origin AND event.source is our iframe's window. addEventListener only; the
 * host's window.onmessage is never touched.
 *
 * Host-page events (CustomEvent on window): supadesk:ready, supadesk:open, supadesk:close,
 * supadesk:unread {count}, supadesk:message {ticketId, messageId, createdAt, preview},
 * supadesk:ticket-created {ticketId, number}, supadesk:error {message}.
 */
import { PROTOCOL, type Envelope } from '../shared/protocol'
import { textOn } from '../shared/contrast'
import { checkCall } from './commands'
import { readConfig, type LoaderConfig } from './config'
import { CSS } from './styles'

export const VERSION = '1'

export interface SupadeskApi {
  (command: string, arg?: unknown): void
  version: string
  loaded: true
}

interface Stub {
  q?: ArrayLike<unknown>[]
  loaded?: boolean
}

declare global {
  interface Window {
    supadesk?: SupadeskApi | Stub
  }
}

// [open label, close label, unread suffix, iframe title]
const TEXT = {
  en: ['Open support chat', 'Close support chat', ' unread messages', 'Support chat'],
  de: ['Support-Chat öffnen', 'Support-Chat schließen', ' ungelesene Nachrichten', 'Support-Chat'],
}
const SVG_NS = 'http://www.w3.org/2000/svg'
const ICONS = ['M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12z', 'M6 6l12 12M18 6 6 18']

export function boot(win: Window, script: HTMLScriptElement | null): SupadeskApi | null {
  const doc = win.document
  const stub = win.supadesk as Stub | undefined
  const emit = (name: string, detail?: unknown): boolean =>
    win.dispatchEvent(new CustomEvent('supadesk:' + name, { detail }))
  const report = ({ message }: Error): void => {
    console.error(message)
    emit('error', { message })
  }
  if (stub?.loaded) {
    console.warn('supadesk: widget.js loaded twice')
    return null
  }
  let cfg: LoaderConfig
  try {
    cfg = readConfig(script, doc.documentElement.lang || win.navigator.language, win.location.origin)
  } catch (error) {
    report(error as Error)
    return null
  }
  const { frameOrigin } = cfg
  const text = TEXT[cfg.locale as 'en']
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] => {
    const el = doc.createElement(tag)
    el.className = className
    return el
  }
  const root = make('div', 'supadesk-root supadesk-' + cfg.position)
  const button = make('button', 'supadesk-launcher')
  const badge = make('span', 'supadesk-badge')
  const svg = doc.createElementNS(SVG_NS, 'svg')
  const icon = doc.createElementNS(SVG_NS, 'path')
  // A constructed stylesheet is not subject to the host's CSP style-src; <style> is the fallback.
  let sheet: CSSStyleSheet | undefined
  try {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(CSS)
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet]
  } catch {
    sheet = undefined
    const style = doc.createElement('style')
    style.textContent = CSS
    root.append(style)
  }
  button.type = 'button'
  button.setAttribute('aria-controls', 'supadesk-frame')
  button.style.cssText = `background:${cfg.color};color:${textOn(cfg.color)}`
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  badge.setAttribute('aria-hidden', 'true')
  badge.hidden = true
  svg.append(icon)
  button.append(svg, badge)
  root.append(button)
  doc.body.append(root)

  let frame: HTMLIFrameElement | undefined
  let ready = false
  let isOpen = false
  const pending: Envelope[] = []
  const vv = win.visualViewport

  const post = (type: string, payload?: unknown): void => {
    pending.push({ p: PROTOCOL, type, payload })
    if (ready) for (const env of pending.splice(0)) frame!.contentWindow!.postMessage(env, frameOrigin)
  }
  // The full-screen panel on phones follows the visual viewport, so the on-screen keyboard
  // shrinks the panel instead of pushing the conversation out of view (iOS).
  const fit = (): void => {
    const small = win.innerWidth < 640 && isOpen && vv
    frame!.style.cssText = small ? `height:${vv.height}px;top:${vv.offsetTop}px` : ''
  }
  const onMessage = ({ origin, source, data }: MessageEvent<Envelope | null>): void => {
    if (origin !== frameOrigin || source !== frame?.contentWindow || data?.p !== PROTOCOL) return
    const { type, payload } = data
    if (type === 'ready') {
      ready = true
      post('hello')
    } else if (type === 'close') setOpen(false, true)
    else if (type === 'unread') {
      const count = Number((payload as { count?: unknown } | undefined)?.count) || 0
      badge.hidden = count < 1
      badge.textContent = count > 99 ? '99+' : '' + count
      button.title = count ? count + text[2] : ''
      emit(type, { count })
    } else if (type === 'message' || type === 'ticket-created') emit(type, payload)
  }
  const listen = (add: boolean): void => {
    const how = add ? 'addEventListener' : 'removeEventListener'
    win[how]('message', onMessage as EventListener)
    vv?.[how]('resize', fit)
    vv?.[how]('scroll', fit)
  }

  function setOpen(open: boolean, refocus?: boolean): void {
    if (open && !frame) {
      frame = make('iframe', 'supadesk-frame')
      frame.id = 'supadesk-frame'
      frame.title = text[3]
      frame.src = frameOrigin + '/widget/frame.html#' + cfg.params
      listen(true)
      root.append(frame)
    }
    icon.setAttribute('d', ICONS[+open])
    button.setAttribute('aria-label', text[+open])
    button.setAttribute('aria-expanded', '' + open)
    root.classList.toggle('supadesk-open', open)
    if (!frame || open === isOpen) return
    isOpen = open
    frame.hidden = !open
    fit()
    post(open ? 'open' : 'close')
    if (open) frame.focus()
    else if (refocus) button.focus()
    emit(open ? 'open' : 'close')
  }

  button.onclick = () => setOpen(!isOpen)
  button.onkeydown = (e) => e.key === 'Escape' && setOpen(false, true)

  const api = ((...args: [command: string, arg?: unknown]): void => {
    const identity = checkCall(args)
    const command = args[0]
    if (identity) post('identify', identity)
    else if (command === 'shutdown') {
      listen(false)
      root.remove()
      if (sheet) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet)
      delete win.supadesk
    } else setOpen(command === 'open' || (command === 'toggle' && !isOpen))
  }) as SupadeskApi
  api.version = VERSION
  api.loaded = true
  win.supadesk = api
  setOpen(false)

  for (const args of Array.from(stub?.q || [])) {
    try {
      api(...(Array.from(args) as [string, unknown?]))
    } catch (error) {
      report(error as Error)
    }
  }
  emit('ready', { version: VERSION })
  return api
}
