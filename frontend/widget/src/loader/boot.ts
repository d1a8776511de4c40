/**
 * The loader: installs `window.supadesk(command, arg)`, replays calls queued by the stub snippet,
 * injects the launcher and, on the first open only, the iframe. Until then it sets no cookie, writes
 * no storage and signs nobody in. Host-page events: supadesk:ready, supadesk:open, supadesk:close,
 * supadesk:unread, supadesk:message, supadesk:ticket-created, supadesk:error.
 */
import type { Identity } from '../shared/protocol'
import { checkCall } from './commands'
import { readConfig } from './config'
import { createFrameHost, type FrameHost } from './frame-host'
import { createLauncher } from './launcher'

export const VERSION = '1'

export interface SupadeskApi {
  (command: string, arg?: unknown): void
  version: string
  loaded: true
}

interface Stub {
  q?: ArrayLike<unknown>[]
  loaded?: boolean
}

declare global {
  interface Window {
    supadesk?: SupadeskApi | Stub
  }
}

export function boot(win: Window, script: HTMLScriptElement | null): SupadeskApi | null {
  const doc = win.document
  const stub = win.supadesk as Stub | undefined
  const emit = (name: string, detail?: unknown): void => {
    win.dispatchEvent(new CustomEvent('supadesk:' + name, { detail }))
  }
  const report = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error)
    console.error(message)
    emit('error', { message })
  }
  if (stub && stub.loaded) {
    console.warn('supadesk: widget.js was included twice; the second copy does nothing')
    return null
  }
  let cfg
  try {
    cfg = readConfig(script, doc.documentElement.lang || win.navigator.language)
  } catch (error) {
    report(error)
    return null
  }
  const config = cfg
  const launcher = createLauncher(doc, config)
  let frame: FrameHost | null = null
  let isOpen = false
  let identity: Identity | null = null

  function onFrame(type: string, payload: unknown): void {
    if (type === 'close') setOpen(false, true)
    else if (type === 'unread') {
      const count = Number((payload as { count?: unknown } | null)?.count) || 0
      launcher.setUnread(count)
      emit('unread', { count })
    } else if (type === 'message' || type === 'ticket-created') emit(type, payload)
  }

  function setOpen(open: boolean, refocus: boolean): void {
    if (open === isOpen) return
    if (open && !frame) {
      frame = createFrameHost(win, config, launcher.root, launcher.frameTitle, onFrame)
      if (identity) frame.post('identify', identity)
    }
    isOpen = open
    frame?.show(open)
    frame?.post(open ? 'open' : 'close')
    launcher.setOpen(open)
    if (open) frame?.el.focus()
    else if (refocus) launcher.button.focus()
    emit(open ? 'open' : 'close')
  }

  launcher.button.addEventListener('click', () => setOpen(!isOpen, false))
  launcher.button.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') setOpen(false, true)
  })

  const api = function supadesk(...args: unknown[]): void {
    const call = checkCall(args)
    if (call.command === 'open') setOpen(true, false)
    else if (call.command === 'close') setOpen(false, false)
    else if (call.command === 'toggle') setOpen(!isOpen, false)
    else if (call.command === 'identify') {
      identity = { ...identity, ...call.identity }
      frame?.post('identify', identity)
    } else {
      frame?.destroy()
      launcher.root.remove()
      delete win.supadesk
    }
  } as SupadeskApi
  api.version = VERSION
  api.loaded = true
  win.supadesk = api

  for (const args of Array.prototype.slice.call(stub?.q || [])) {
    try {
      api(...Array.prototype.slice.call(args))
    } catch (error) {
      report(error)
    }
  }
  emit('ready', { version: VERSION })
  return api
}
