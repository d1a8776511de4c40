import { describe, expect, it, vi } from 'vitest'
import { checkCall } from '../src/loader/commands'
import { readLauncherConfig } from '../src/loader/config'
import { readFrameParams } from '../src/loader/frame-params'

const b64 = (o: object): string => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
const jwt = (claims: object): string => `${b64({ alg: 'HS256' })}.${b64(claims)}.sig`

function tag(attrs: Record<string, string>, src = 'https://desk.example.com/widget.js'): HTMLScriptElement {
  const el = document.createElement('script')
  if (src) el.src = src
  for (const [k, v] of Object.entries(attrs)) el.setAttribute('data-' + k, v)
  return el
}
const base = { 'api-url': 'https://xyz.supabase.co/', 'anon-key': jwt({ role: 'anon' }) }
const launcherOf = (attrs: Record<string, string> = {}, lang = 'en-US') => readLauncherConfig(tag({ ...base, ...attrs }), lang)
const paramsOf = (attrs: Record<string, string> = {}) => {
  const el = tag({ ...base, ...attrs })
  return readFrameParams(el, readLauncherConfig(el, 'en'), 'https://shop.example')
}

describe('readLauncherConfig (widget.js)', () => {
  it('reads the data- attributes and derives the frame origin from the script src', () => {
    expect(launcherOf({ color: '#0af', position: 'left', locale: 'de' })).toEqual({
      color: '#0af',
      position: 'left',
      locale: 'de',
      frameOrigin: 'https://desk.example.com',
    })
  })

  it('defaults colour and position and takes the locale from the page', () => {
    expect(launcherOf({}, 'de-AT')).toMatchObject({ color: '#2563eb', position: 'right', locale: 'de' })
    expect(launcherOf({}, 'fr-FR').locale).toBe('en')
  })

  it.each([
    ['color', 'red'],
    ['color', '#12345'],
    ['position', 'top'],
    ['locale', 'xx'],
  ])('warns about an invalid data-%s and falls back', (name, value) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const cfg = launcherOf({ [name]: value })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`data-${name}=`))
    expect(cfg).toMatchObject({ color: '#2563eb', position: 'right', locale: 'en' })
  })

  it('needs its own script tag', () => {
    expect(() => readLauncherConfig(null, 'en')).toThrow(/widget\.js/)
    expect(() => readLauncherConfig(tag(base, ''), 'en')).toThrow(/widget\.js/)
  })
})

describe('readFrameParams (loader-ui)', () => {
  it('builds the iframe fragment from the tag and the launcher settings', () => {
    expect(Object.fromEntries(paramsOf({ color: '#0af', greeting: 'Hi', locale: 'de' }))).toEqual({
      origin: 'https://shop.example',
      api: 'https://xyz.supabase.co',
      key: base['anon-key'],
      color: '#0af',
      locale: 'de',
      greeting: 'Hi',
    })
    expect(paramsOf().get('greeting')).toBe('')
  })

  it('warns about a greeting over 200 characters and drops it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(paramsOf({ greeting: 'x'.repeat(201) }).get('greeting')).toBe('')
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('data-greeting='))
  })

  it.each([
    [{ 'api-url': '' }, /data-api-url/],
    [{ 'api-url': 'javascript:alert(1)' }, /data-api-url/],
    [{ 'api-url': 'xyz.supabase.co' }, /data-api-url/],
    [{ 'anon-key': '' }, /data-anon-key is not an anon key/],
    [{ 'anon-key': 'hello' }, /data-anon-key is not an anon key/],
    [{ 'anon-key': jwt({ role: 'service_role' }) }, /SECRET/],
    [{ 'anon-key': 'sb_secret_abc' }, /SECRET/],
  ])('rejects %o', (attrs, message) => {
    expect(() => paramsOf(attrs as Record<string, string>)).toThrow(message)
  })

  it('accepts publishable keys', () => {
    expect(paramsOf({ 'anon-key': 'sb_publishable_abc123' }).get('key')).toBe('sb_publishable_abc123')
  })
})

describe('checkCall', () => {
  it.each(['open', 'close', 'toggle', 'shutdown'])('accepts %s without argument', (command) => {
    expect(checkCall([command])).toBeUndefined()
  })

  it('returns the trimmed identity', () => {
    expect(checkCall(['identify', { email: ' ada@example.com ', name: ' Ada ' }])).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
    })
    expect(checkCall(['identify', { name: 'Ada' }])).toEqual({ name: 'Ada' })
  })

  it.each([
    [[], /unknown command/],
    [['opne'], /supadesk\("opne"\): unknown command; use open,close,toggle,identify,shutdown/],
    [[42], /unknown command/],
    [['close', true], /supadesk\("close"\): takes no argument/],
    [['identify'], /expects an object \{email, name\}/],
    [['identify', 'ada@example.com'], /expects an object/],
    [['identify', {}], /expects an object/],
    [['identify', { email: 'not-an-email' }], /invalid email "not-an-email"/],
    [['identify', { email: 'a@b' }], /invalid email/],
    [['identify', { email: 42 }], /"email" is not an email\/name string/],
    [['identify', { name: '' }], /invalid name "" \(1-100 characters\)/],
    [['identify', { name: 'x'.repeat(101) }], /invalid name/],
    [['identify', { phone: '123' }], /"phone" is not an email\/name string/],
  ])('rejects %j', (args, message) => {
    expect(() => checkCall(args as unknown[])).toThrow(message)
    expect(() => checkCall(args as unknown[])).toThrow(TypeError)
  })
})
