/**
 * Reads the loader's configuration from its own <script> tag's data- attributes.
 * Required values (data-api-url, data-anon-key) throw a descriptive Error; cosmetic ones
 * (colour, position, greeting, locale) fall back to their default with a console warning, so a
 * typo in a colour never takes the support chat off a production site.
 */

export interface LoaderConfig {
  /** Query string for the iframe's URL fragment: origin, api, key, color, locale, greeting. */
  params: URLSearchParams
  color: string
  position: string
  locale: string
  /** Origin of the supadesk server that served widget.js; the iframe lives there. */
  frameOrigin: string
}

export function readConfig(script: HTMLScriptElement | null, pageLang: string, hostOrigin: string): LoaderConfig {
  const fail = (message: string): never => {
    throw new Error('supadesk: ' + message)
  }
  if (!script?.src) fail('no <script src=".../widget.js">')
  const get = (name: string): string => script!.getAttribute('data-' + name) || ''
  const opt = (name: string, ok: RegExp, fallback: string): string => {
    const value = get(name)
    if (!value || ok.test(value)) return value || fallback
    console.warn(`supadesk: bad data-${name}="${value}", using "${fallback}"`)
    return fallback
  }
  const api = get('api-url').replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]/.test(api)) fail(`data-api-url="${api}" is not an http(s) URL`)
  const key = get('anon-key')
  let claims = ''
  try {
    claims = atob(key.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    /* not a JWT: checked below */
  }
  if (/^sb_secret_|"service_role"/.test(key + claims)) fail('data-anon-key is a SECRET key! Use the anon key')
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$|^sb_publishable_/.test(key)) fail('data-anon-key is not an anon key')
  const color = opt('color', /^#([\da-f]{3}){1,2}$/i, '#2563eb')
  const locale = /^de/i.test(opt('locale', /^(en|de)\b/i, pageLang)) ? 'de' : 'en'
  const greeting = opt('greeting', /^[^]{1,200}$/, '')
  return {
    params: new URLSearchParams({ origin: hostOrigin, api, key, color, locale, greeting }),
    color,
    position: opt('position', /^(left|right)$/, 'right'),
    locale,
    frameOrigin: new URL(script!.src).origin,
  }
}
