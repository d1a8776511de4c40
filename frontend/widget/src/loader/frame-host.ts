/**
 * The isolated iframe and its side of the postMessage bridge. Created on the first open only.
 * Outgoing messages name the frame's origin as target; incoming ones are accepted only from that
 * origin AND from this iframe's window. Messages posted before the frame said "ready" are queued.
 * Uses addEventListener, never window.onmessage, so host handlers are left alone.
 */
import { envelope, readEnvelope, type Envelope } from '../shared/protocol'
import { frameUrl, type LoaderConfig } from './config'

export interface FrameHost {
  el: HTMLIFrameElement
  post(type: string, payload?: unknown): void
  show(visible: boolean): void
  destroy(): void
}

export function createFrameHost(
  win: Window,
  cfg: LoaderConfig,
  parent: HTMLElement,
  title: string,
  onMessage: (type: string, payload: unknown) => void,
): FrameHost {
  const doc = win.document
  const el = doc.createElement('iframe')
  el.id = 'supadesk-frame'
  el.className = 'supadesk-frame'
  el.title = title
  el.hidden = true
  el.src = frameUrl(cfg, win.location.origin)
  let ready = false
  const pending: Envelope[] = []
  const vv = win.visualViewport

  const send = (env: Envelope): void => el.contentWindow?.postMessage(env, cfg.frameOrigin)
  const listener = (event: MessageEvent): void => {
    if (event.origin !== cfg.frameOrigin || event.source !== el.contentWindow) return
    const msg = readEnvelope(event.data)
    if (!msg) return
    if (msg.type === 'ready') {
      ready = true
      pending.splice(0).forEach(send)
    }
    onMessage(msg.type, msg.payload)
  }
  // Full-screen panel on phones follows the visual viewport, so the on-screen keyboard
  // shrinks the panel instead of pushing the conversation out of view.
  const fit = (): void => {
    const small = win.innerWidth < 640 && vv
    el.style.height = small ? vv.height + 'px' : ''
    el.style.top = small ? vv.offsetTop + 'px' : ''
  }
  win.addEventListener('message', listener)
  vv?.addEventListener('resize', fit)
  vv?.addEventListener('scroll', fit)
  parent.appendChild(el)

  return {
    el,
    post(type, payload) {
      const env = envelope(type, payload)
      if (ready) send(env)
      else pending.push(env)
    },
    show(visible) {
      el.hidden = !visible
      if (visible) fit()
    },
    destroy() {
      win.removeEventListener('message', listener)
      vv?.removeEventListener('resize', fit)
      vv?.removeEventListener('scroll', fit)
      el.remove()
    },
  }
}
