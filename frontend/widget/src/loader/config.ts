/**
 * The launcher's settings, read by the stub (widget.js) from its own <script> tag's data- attributes:
 * colour, position, locale, and the supadesk origin (from the tag's src). Cosmetic values fall back to
 * their default with a console warning, so a typo in a colour never takes the support chat off a
 * production site. The required data-api-url and data-anon-key are checked by loader-ui when it mounts
 * (frame-params.ts), before any iframe exists.
 */

export type Locale = 'en' | 'de'

export interface LauncherConfig {
  color: string
  position: string
  locale: Locale
  /** Origin of the supadesk server that served widget.js; loader-ui and the iframe live there. */
  frameOrigin: string
}

/** A data- attribute of our script tag, '' when absent. */
export const attr = (script: HTMLScriptElement, name: string): string => script.getAttribute('data-' + name) || ''

/** An optional data- attribute: its value when it matches `ok`, else `fallback` (with a console warning). */
export function option(script: HTMLScriptElement, name: string, ok: RegExp, fallback: string): string {
  const value = attr(script, name)
  if (!value || ok.test(value)) return value || fallback
  console.warn(`supadesk: bad data-${name}="${value}", using "${fallback}"`)
  return fallback
}

export function readLauncherConfig(script: HTMLScriptElement | null, pageLang: string): LauncherConfig {
  if (!script?.src) throw new Error('supadesk: no <script src=".../widget.js">')
  return {
    color: option(script, 'color', /^#([\da-f]{3}){1,2}$/i, '#2563eb'),
    position: option(script, 'position', /^(left|right)$/, 'right'),
    locale: /^de/i.test(option(script, 'locale', /^(en|de)\b/i, pageLang)) ? 'de' : 'en',
    frameOrigin: new URL(script.src).origin,
  }
}
