/**
 * Fetches loader-ui.js as a classic <script> (no CORS needed, unlike a module) from the supadesk
 * origin. When it runs, loader-ui puts its mount function on its own element (ui-entry.ts), so the
 * only global either part owns is window.supadesk. The element is removed again after load or error.
 * The src goes through a Trusted Types policy named "supadesk" when the browser has Trusted Types
 * (a host enforcing them with a `trusted-types` allow-list must list it, else the fetch fails and the
 * stub reports it); the host page's CSP nonce, if widget.js carried one, is passed on.
 */
import type { Mount } from './contract'

export type UiScript = HTMLScriptElement & { mount?: Mount }

type TrustedTypesWindow = Window & {
  trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string } }
}

let policy: ReturnType<NonNullable<TrustedTypesWindow['trustedTypes']>['createPolicy']> | undefined

export function loadScript(doc: Document, url: string, nonce: string, done: (mount?: Mount) => void): void {
  const el: UiScript = doc.createElement('script')
  el.onload = el.onerror = () => {
    el.remove()
    done(el.mount)
  }
  let src = url
  try {
    policy ||= (doc.defaultView as TrustedTypesWindow).trustedTypes!.createPolicy('supadesk', { createScriptURL: (u) => u })
    src = policy.createScriptURL(url)
  } catch {
    /* no Trusted Types, or the host does not allow our policy: a plain URL */
  }
  el.nonce = nonce
  try {
    el.src = src
    doc.head.append(el)
  } catch {
    done() // a host enforcing Trusted Types that does not allow our policy
  }
}
