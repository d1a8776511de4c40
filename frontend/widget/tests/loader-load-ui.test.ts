import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Mount } from '../src/loader/contract'
import type { UiScript } from '../src/loader/load-ui'

const URL_ = 'https://desk.example.com/widget/assets/loader-ui-abc.js'
const uiScript = (): UiScript | null => document.head.querySelector('script')

// load-ui.ts keeps its Trusted Types policy per page: a fresh module per test.
async function loadScript() {
  vi.resetModules()
  return (await import('../src/loader/load-ui')).loadScript
}

beforeEach(() => document.head.replaceChildren())
afterEach(() => Reflect.deleteProperty(window, 'trustedTypes'))

describe('loadScript: fetching loader-ui.js', () => {
  it('adds a classic script with the URL and nonce, and hands over the mount it registered', async () => {
    const done = vi.fn()
    ;(await loadScript())(document, URL_, 'n0nce', done)
    const el = uiScript()!
    expect(el.src).toBe(URL_)
    expect(el.nonce).toBe('n0nce')
    expect(el.type).toBe('')
    const mount = vi.fn<Mount>()
    el.mount = mount // what ui-entry.ts does when the script runs
    el.dispatchEvent(new Event('load'))
    expect(done).toHaveBeenCalledWith(mount)
    expect(uiScript()).toBeNull()
  })

  it('hands over nothing when the script fails to load (or registered nothing)', async () => {
    const load = await loadScript()
    const done = vi.fn()
    load(document, URL_, '', done)
    uiScript()!.dispatchEvent(new Event('error'))
    load(document, URL_, '', done)
    uiScript()!.dispatchEvent(new Event('load'))
    expect(done.mock.calls).toEqual([[undefined], [undefined]])
    expect(uiScript()).toBeNull()
  })

  it('goes through a Trusted Types policy named "supadesk", created once', async () => {
    const createScriptURL = vi.fn((u: string) => u)
    const createPolicy = vi.fn((_name: string, rules: { createScriptURL(u: string): string }) => ({
      createScriptURL: (u: string) => createScriptURL(rules.createScriptURL(u)),
    }))
    Object.defineProperty(window, 'trustedTypes', { value: { createPolicy }, configurable: true })
    const load = await loadScript()
    load(document, URL_, '', () => undefined)
    load(document, URL_, '', () => undefined)
    expect(createPolicy).toHaveBeenCalledTimes(1)
    expect(createPolicy.mock.calls[0][0]).toBe('supadesk')
    expect(createScriptURL).toHaveBeenCalledWith(URL_)
  })

  it('falls back to a plain URL when the host does not allow the policy', async () => {
    const createPolicy = vi.fn(() => {
      throw new TypeError('policy "supadesk" disallowed')
    })
    Object.defineProperty(window, 'trustedTypes', { value: { createPolicy }, configurable: true })
    ;(await loadScript())(document, URL_, '', () => undefined)
    expect(uiScript()!.src).toBe(URL_)
  })
})

describe('loadScript under enforced Trusted Types without our policy', () => {
  it('hands over nothing instead of throwing when the src assignment is blocked', async () => {
    const load = await loadScript()
    const blocked = vi.spyOn(HTMLScriptElement.prototype, 'src', 'set').mockImplementation(() => {
      throw new TypeError("This document requires 'TrustedScriptURL' assignment.")
    })
    const done = vi.fn()
    expect(() => load(document, URL_, '', done)).not.toThrow()
    expect(done).toHaveBeenCalledWith()
    expect(uiScript()).toBeNull()
    blocked.mockRestore()
  })
})

describe('ui-entry: loader-ui.js registers its mount on its own script element', () => {
  it('sets mount on document.currentScript', async () => {
    const el = document.createElement('script') as UiScript
    Object.defineProperty(document, 'currentScript', { value: el, configurable: true })
    try {
      vi.resetModules()
      await import('../src/loader/ui-entry')
      const { mount } = await import('../src/loader/ui')
      expect(el.mount).toBe(mount)
    } finally {
      Reflect.deleteProperty(document, 'currentScript')
    }
  })
})
