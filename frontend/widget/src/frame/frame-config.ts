/**
 * The iframe's settings, read from its URL fragment (written by the loader):
 * origin (the host page's origin, the only one we talk to), api, key, color, locale, greeting.
 */
export interface FrameConfig {
  parentOrigin: string
  apiUrl: string
  anonKey: string
  color: string
  locale: string
  greeting: string
}

export function readFrameConfig(hash: string, ancestorOrigin?: string): FrameConfig {
  const q = new URLSearchParams(hash.replace(/^#/, ''))
  const get = (name: string): string => q.get(name) ?? ''
  const parentOrigin = get('origin')
  let valid = false
  try {
    valid = new URL(parentOrigin).origin === parentOrigin
  } catch {
    valid = false
  }
  if (!valid) throw new Error(`supadesk frame: "origin" is not a web origin: ${JSON.stringify(parentOrigin)}`)
  // Where the browser tells us who embeds us (Chromium, Safari), it must be the declared origin.
  if (ancestorOrigin && ancestorOrigin !== parentOrigin)
    throw new Error('supadesk frame: embedded by a different origin than declared')
  const apiUrl = get('api').replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]/.test(apiUrl)) throw new Error('supadesk frame: "api" must be an http(s) URL')
  const anonKey = get('key')
  if (!anonKey) throw new Error('supadesk frame: "key" (the anon key) is missing')
  const color = /^#([\da-f]{3}){1,2}$/i.test(get('color')) ? get('color') : '#2563eb'
  return { parentOrigin, apiUrl, anonKey, color, locale: get('locale') === 'de' ? 'de' : 'en', greeting: get('greeting').slice(0, 200) }
}
