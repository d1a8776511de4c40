/**
 * The iframe's settings, read by loader-ui from the widget.js tag when it mounts (on the first hover,
 * focus, click or `open`, before any iframe exists): the required data-api-url and data-anon-key
 * throw a descriptive Error — a service-role JWT or an `sb_secret_` key is refused outright — and the
 * greeting falls back to none with a warning. They reach the iframe in its URL fragment, never a query
 * string, so they are not sent to any server.
 */
import { attr, option, type LauncherConfig } from './config'

export function readFrameParams(script: HTMLScriptElement, cfg: LauncherConfig, hostOrigin: string): URLSearchParams {
  const fail = (message: string): never => {
    throw new Error('supadesk: ' + message)
  }
  const api = attr(script, 'api-url').replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]/.test(api)) fail(`data-api-url="${api}" is not an http(s) URL`)
  const key = attr(script, 'anon-key')
  let claims = ''
  try {
    claims = atob(key.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    /* not a JWT: checked below */
  }
  if (/^sb_secret_|"service_role"/.test(key + claims)) fail('data-anon-key is a SECRET key! Use the anon key')
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$|^sb_publishable_/.test(key)) fail('data-anon-key is not an anon key')
  const greeting = option(script, 'greeting', /^[^]{1,200}$/, '')
  const { color, locale } = cfg
  return new URLSearchParams({ origin: hostOrigin, api, key, color, locale, greeting })
}
