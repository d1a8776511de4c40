/**
 * loader-ui.js, the part of the loader fetched on first open (or launcher hover/focus): checks the
 * required data- attributes (frame-params.ts; throws before touching anything), validates
 * `supadesk(...)` calls (commands.ts), creates the isolated iframe on the first open, runs the postMessage bridge,
 * keeps the launcher's open/closed state, unread badge and the phone keyboard in step.
 * Mounted by the stub (boot.ts) on the launcher it built; returns the handler for every call.
 *
 * Bridge: we post to the frame with targetOrigin = the frame's origin, and accept a message only when
 * event.origin is that origin AND event.source is our iframe's window. addEventListener only; the
 * host's window.onmessage is never touched.
 *
 * Host-page events (CustomEvent on window): supadesk:open, supadesk:close, supadesk:unread {count},
 * supadesk:message {ticketId, messageId, createdAt, preview}, supadesk:ticket-created {ticketId, number},
 * supadesk:error {message} (the stub emits supadesk:ready and reports errors of queued calls).
 */
import { PROTOCOL, type Envelope } from '../shared/protocol'
import { checkCall } from './commands'
import { readFrameParams } from './frame-params'
import type { Mount } from './contract'
import { UI_CSS } from './styles'
import { CHAT_ICON, CLOSE_ICON, OPEN_LABEL, UI_TEXT } from './text'

export const mount: Mount = ({ win, script, cfg, root, button, icon, emit, style, teardown }) => {
  const params = readFrameParams(script, cfg, win.location.origin)
  const { frameOrigin } = cfg
  style(UI_CSS)
  const badge = win.document.createElement('span')
  badge.className = 'supadesk-badge'
  badge.setAttribute('aria-hidden', 'true')
  badge.hidden = true
  button.append(badge)
  const labels = [OPEN_LABEL[cfg.locale], UI_TEXT[cfg.locale][0]]
  const [, unreadSuffix, frameTitle] = UI_TEXT[cfg.locale]
  let frame: HTMLIFrameElement | undefined
  let ready = false
  let isOpen = false
  const pending: Envelope[] = []
  const vv = win.visualViewport

  const post = (type: string, payload?: unknown): void => {
    pending.push({ p: PROTOCOL, type, payload })
    if (ready) for (const env of pending.splice(0)) frame!.contentWindow!.postMessage(env, frameOrigin)
  }
  // The full-screen panel on phones follows the visual viewport, so the on-screen keyboard
  // shrinks the panel instead of pushing the conversation out of view (iOS).
  const fit = (): void => {
    const small = win.innerWidth < 640 && isOpen && vv
    frame!.style.cssText = small ? `height:${vv.height}px;top:${vv.offsetTop}px` : ''
  }
  const onMessage = ({ origin, source, data }: MessageEvent<Envelope | null>): void => {
    if (origin !== frameOrigin || source !== frame?.contentWindow || data?.p !== PROTOCOL) return
    const { type, payload } = data
    if (type === 'ready') {
      ready = true
      post('hello')
    } else if (type === 'close') setOpen(false, true)
    else if (type === 'unread') {
      const count = Number((payload as { count?: unknown } | undefined)?.count) || 0
      badge.hidden = count < 1
      badge.textContent = count > 99 ? '99+' : '' + count
      button.title = count ? count + unreadSuffix : ''
      emit(type, { count })
    } else if (type === 'message' || type === 'ticket-created') emit(type, payload)
  }
  const listen = (add: boolean): void => {
    const how = add ? 'addEventListener' : 'removeEventListener'
    win[how]('message', onMessage as EventListener)
    vv?.[how]('resize', fit)
    vv?.[how]('scroll', fit)
  }

  function setOpen(open: boolean, refocus?: boolean): void {
    if (open && !frame) {
      frame = win.document.createElement('iframe')
      frame.className = frame.id = 'supadesk-frame'
      frame.title = frameTitle
      frame.src = frameOrigin + '/widget/frame.html#' + params
      listen(true)
      root.append(frame)
    }
    icon.setAttribute('d', open ? CLOSE_ICON : CHAT_ICON)
    button.setAttribute('aria-label', labels[+open])
    button.setAttribute('aria-expanded', '' + open)
    root.classList.toggle('supadesk-open', open)
    if (!frame || open === isOpen) return
    isOpen = open
    frame.hidden = !open
    fit()
    post(open ? 'open' : 'close')
    if (open) frame.focus()
    else if (refocus) button.focus()
    emit(open ? 'open' : 'close')
  }

  button.onclick = () => setOpen(!isOpen)
  button.onkeydown = (e) => e.key === 'Escape' && setOpen(false, true)

  return (call) => {
    const identity = checkCall(call)
    const command = call[0]
    if (identity) post('identify', identity)
    else if (command === 'shutdown') {
      listen(false)
      teardown()
    } else setOpen(command === 'open' || (command === 'toggle' && !isOpen))
  }
}
