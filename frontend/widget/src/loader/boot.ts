/**
 * The stub, i.e. widget.js (2 KB gzip goal; bench/frontend/sizes.mjs): reads the launcher's data-
 * attributes (config.ts), installs `window.supadesk(command, arg)`, injects the launcher, and fetches
 * the rest of the loader (loader-ui.js, ui.ts: required-attribute checks — a secret key is refused —,
 * call validation, iframe, bridge) only when it is needed:
 *   - on the first click on the launcher, or a queued/direct `open` or `toggle` call;
 *   - ahead of that, when the pointer enters the launcher or it gets keyboard focus (a preload; the
 *     iframe is still only created on open).
 * Until then every call is queued as it was by the host's one-line stub; loader-ui validates and
 * replays the queue in order and bad calls are reported as `supadesk:error` (and console.error). After
 * that, calls go straight to loader-ui and bad ones throw a TypeError. `shutdown` before loader-ui has
 * loaded is handled here and loader-ui is then never fetched. A failed fetch is reported and retried on
 * the next hover or click; a bad data-api-url/data-anon-key removes the launcher again.
 *
 * No cookie, no storage, no iframe and no sign-in here: those start in the iframe on first open.
 *
 * Strict host CSPs keep working: styles go into a constructed stylesheet (not a <style> element), no
 * innerHTML (Trusted Types); loader-ui is a classic script from the same origin as widget.js, created
 * with this tag's nonce and through a Trusted Types policy named "supadesk" (load-ui.ts).
 */
import { textOn } from '../shared/contrast'
import { readLauncherConfig, type LauncherConfig } from './config'
import { VERSION, type Call, type Handler, type LoadUi, type UiContext } from './contract'
import { LAUNCHER_CSS } from './styles'
import { CHAT_ICON, OPEN_LABEL } from './text'

export { VERSION }

export interface SupadeskApi {
  (command: string, arg?: unknown): void
  version: string
  loaded: true
}

interface Stub {
  q?: Iterable<unknown>[]
  loaded?: boolean
}

declare global {
  interface Window {
    supadesk?: SupadeskApi | Stub
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg'

export function boot(win: Window, script: HTMLScriptElement | null, loadUi: LoadUi): SupadeskApi | null {
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
  let cfg: LauncherConfig
  try {
    cfg = readLauncherConfig(script, doc.documentElement.lang || win.navigator.language)
  } catch (error) {
    report(error as Error)
    return null
  }
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] => {
    const el = doc.createElement(tag)
    el.className = className
    return el
  }
  const root = make('div', 'supadesk-root supadesk-' + cfg.position)
  const button = make('button', 'supadesk-launcher')
  const svg = doc.createElementNS(SVG_NS, 'svg')
  const icon = doc.createElementNS(SVG_NS, 'path')
  // A constructed stylesheet is not subject to the host's CSP style-src; <style> is the fallback.
  const sheets: CSSStyleSheet[] = []
  const style = (css: string): void => {
    try {
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(css)
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet]
      sheets.push(sheet)
    } catch {
      const el = doc.createElement('style')
      el.textContent = css
      root.append(el)
    }
  }
  style(LAUNCHER_CSS)
  button.type = 'button'
  button.setAttribute('aria-controls', 'supadesk-frame')
  button.setAttribute('aria-label', OPEN_LABEL[cfg.locale])
  button.setAttribute('aria-expanded', 'false')
  button.style.cssText = `background:${cfg.color};color:${textOn(cfg.color)}`
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  icon.setAttribute('d', CHAT_ICON)
  svg.append(icon)
  button.append(svg)
  root.append(button)
  doc.body.append(root)

  const queue: Call[] = []
  let handler: Handler | undefined
  let loading = false
  let gone = false
  const teardown = (): void => {
    gone = true
    root.remove()
    if (sheets[0]) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !sheets.includes(s))
    delete win.supadesk
  }
  const ctx: UiContext = { win, script: script!, cfg, root, button, icon, emit, style, teardown }
  const load = (): void => {
    if (loading) return
    loading = true
    loadUi(cfg.frameOrigin, script!.nonce || '', (mount) => {
      if (!mount) {
        loading = false // the next hover or click tries again
        return report(new Error(`supadesk: could not load loader-ui.js from ${cfg.frameOrigin}`))
      }
      if (gone) return
      try {
        handler = mount(ctx)
      } catch (error) {
        // A missing or secret key: refuse to run, as if widget.js had never been added.
        report(error as Error)
        return teardown()
      }
      for (const call of queue.splice(0)) {
        try {
          handler(call)
        } catch (error) {
          report(error as Error)
        }
      }
    })
  }

  const api = ((...call: Call): void => {
    const command = call[0]
    if (handler) handler(call)
    else if (command === 'shutdown') teardown()
    else {
      queue.push(call)
      if (command === 'open' || command === 'toggle') load()
    }
  }) as SupadeskApi
  // loader-ui replaces these; before it has loaded, a click can only mean "open".
  button.onclick = () => api('open')
  button.onpointerenter = button.onfocus = load
  api.version = VERSION
  api.loaded = true
  win.supadesk = api
  for (const args of stub?.q || []) api(...(args as [string]))
  emit('ready', { version: VERSION })
  return api
}
