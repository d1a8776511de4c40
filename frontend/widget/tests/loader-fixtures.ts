/**
 * Shared set-up for the loader tests: a widget.js <script> tag, the launcher/iframe queries, and a
 * stand-in for fetching loader-ui.js that the test completes (or fails) when it wants to.
 */
import { boot, type SupadeskApi } from '../src/loader/boot'
import type { LoadUi, Mount } from '../src/loader/contract'
import { mount } from '../src/loader/ui'

export const FRAME_ORIGIN = 'https://desk.example.com'
export const ANON = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln' // {"role":"anon"}

export function script(attrs: Record<string, string> = {}): HTMLScriptElement {
  const el = document.createElement('script')
  el.src = `${FRAME_ORIGIN}/widget.js`
  const all = { 'api-url': 'https://xyz.supabase.co', 'anon-key': ANON, ...attrs }
  for (const [k, v] of Object.entries(all)) el.setAttribute('data-' + k, v)
  return el
}

export const launcher = (): HTMLButtonElement => document.querySelector('button.supadesk-launcher')!
export const frame = (): HTMLIFrameElement | null => document.querySelector('iframe.supadesk-frame')

/** Names of the supadesk:* window events, in the order they fire from now on. */
export function events(): string[] {
  const seen: string[] = []
  for (const name of ['ready', 'open', 'close', 'unread', 'message', 'ticket-created', 'error'])
    window.addEventListener('supadesk:' + name, () => seen.push(name))
  return seen
}

export function errors(): string[] {
  const seen: string[] = []
  window.addEventListener('supadesk:error', (e) => seen.push((e as CustomEvent).detail.message))
  return seen
}

/** Fetches of loader-ui.js, held until `finish` (the real mount by default) or `fail`. */
export interface FakeUi {
  loadUi: LoadUi
  requests: { origin: string; nonce: string }[]
  finish(mountFn?: Mount): void
  fail(): void
}

export function fakeUi(): FakeUi {
  const pending: ((m?: Mount) => void)[] = []
  const requests: FakeUi['requests'] = []
  return {
    requests,
    loadUi(origin, nonce, done) {
      requests.push({ origin, nonce })
      pending.push(done)
    },
    finish: (mountFn = mount) => pending.shift()!(mountFn),
    fail: () => pending.shift()!(undefined),
  }
}

/** The stub with loader-ui not fetched yet. */
export function bootStub(attrs: Record<string, string> = {}): { api: SupadeskApi; ui: FakeUi } {
  const ui = fakeUi()
  const api = boot(window, script(attrs), ui.loadUi)!
  return { api, ui }
}

/** The stub with loader-ui fetched (as after a hover) and mounted. */
export function bootLoaded(attrs: Record<string, string> = {}): SupadeskApi {
  const { api, ui } = bootStub(attrs)
  launcher().dispatchEvent(new Event('pointerenter'))
  ui.finish()
  return api
}
