/**
 * Reads the loader's configuration from its own <script> tag's data- attributes.
 * Required values (data-api-url, data-anon-key) throw a descriptive Error; cosmetic ones
 * (colour, position, greeting, locale) fall back to defaults with a console warning, so a typo
 * in a colour never takes the support chat off a production site.
 */

export interface LoaderConfig {
  apiUrl: string
  anonKey: string
  color: string
  position: 'left' | 'right'
  greeting: string
  locale: string
  /** Origin of the supadesk server that served widget.js; the iframe lives there. */
  frameOrigin: string
}

const P = 'supadesk: '
export const LOCALES = ['en', 'de']

function warn(message: string): void {
  console.warn(P + message)
}

/** Decodes a JWT payload's `role` claim, or '' when the key is not a readable JWT. */
function jwtRole(key: string): string {
  try {
    const part = key.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    return String(JSON.parse(atob(part)).role || '')
  } catch {
    return ''
  }
}

function readApiUrl(raw: string | undefined): string {
  if (!raw) throw new Error(P + 'data-api-url is required (your Supabase URL, e.g. https://xyz.supabase.co)')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(P + `data-api-url "${raw}" is not an absolute URL`)
  }
  if (!/^https?:$/.test(url.protocol)) throw new Error(P + `data-api-url must use http or https, got "${raw}"`)
  return url.origin + url.pathname.replace(/\/+$/, '')
}

function readAnonKey(raw: string | undefined): string {
  if (!raw) throw new Error(P + 'data-anon-key is required (the project anon/publishable key)')
  if (/^sb_secret_/.test(raw) || jwtRole(raw) === 'service_role')
    throw new Error(P + 'data-anon-key holds a secret (service role) key; use the anon key and rotate the secret now')
  if (!/^([\w-]+\.[\w-]+\.[\w-]+|sb_publishable_[\w-]+)$/.test(raw))
    throw new Error(P + 'data-anon-key is not a JWT or publishable key')
  return raw
}

function readLocale(raw: string | undefined, fallback: string): string {
  const lang = (raw || fallback || 'en').slice(0, 2).toLowerCase()
  if (raw && LOCALES.indexOf(lang) < 0) warn(`data-locale "${raw}" is not supported (${LOCALES.join(', ')}); using en`)
  return LOCALES.indexOf(lang) < 0 ? 'en' : lang
}

export function readConfig(script: HTMLScriptElement | null, pageLang: string): LoaderConfig {
  if (!script || !script.src) throw new Error(P + 'cannot find its <script src=".../widget.js"> tag')
  const d = script.dataset
  let color = d.color || '#2563eb'
  if (!/^#([\da-f]{3}|[\da-f]{6})$/i.test(color)) {
    warn(`data-color "${color}" is not a hex colour like #2563eb; using the default`)
    color = '#2563eb'
  }
  let position = d.position || 'right'
  if (position !== 'left' && position !== 'right') {
    warn(`data-position "${position}" must be "left" or "right"; using right`)
    position = 'right'
  }
  let greeting = d.greeting || ''
  if (greeting.length > 200) {
    warn('data-greeting is longer than 200 characters; it was shortened')
    greeting = greeting.slice(0, 200)
  }
  return {
    apiUrl: readApiUrl(d.apiUrl),
    anonKey: readAnonKey(d.anonKey),
    color,
    position: position as 'left' | 'right',
    greeting,
    locale: readLocale(d.locale, pageLang),
    frameOrigin: new URL(script.src).origin,
  }
}

/** The iframe URL: the frame page on the widget.js origin, with its settings in the fragment
 * (a fragment never reaches a server log or a Referer header). */
export function frameUrl(cfg: LoaderConfig, hostOrigin: string): string {
  const q = new URLSearchParams({
    origin: hostOrigin,
    api: cfg.apiUrl,
    key: cfg.anonKey,
    color: cfg.color,
    locale: cfg.locale,
    greeting: cfg.greeting,
  })
  return cfg.frameOrigin + '/widget/frame.html#' + q.toString()
}
