/**
 * FloatingChatButton: the round launcher with an unread badge, injected into the host page.
 * Accessible name "Open support chat" / "Close support chat" (aria-expanded tells the state);
 * the unread count is the button's description (title), so the name stays stable.
 */
import { textOn } from '../shared/contrast'
import type { LoaderConfig } from './config'
import { CSS } from './styles'

const TEXT: Record<string, [open: string, close: string, unread: string, title: string]> = {
  en: ['Open support chat', 'Close support chat', ' unread messages', 'Support chat'],
  de: ['Support-Chat öffnen', 'Support-Chat schließen', ' ungelesene Nachrichten', 'Support-Chat'],
}
const ICON_CHAT = '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12z"/>'
const ICON_CLOSE = '<path d="M6 6l12 12M18 6 6 18"/>'

export interface Launcher {
  root: HTMLElement
  button: HTMLButtonElement
  frameTitle: string
  setOpen(open: boolean): void
  setUnread(count: number): void
}

export function createLauncher(doc: Document, cfg: LoaderConfig): Launcher {
  const text = TEXT[cfg.locale] || TEXT.en
  const style = doc.createElement('style')
  style.textContent = CSS
  const root = doc.createElement('div')
  root.className = 'supadesk-root supadesk-' + cfg.position
  const button = doc.createElement('button')
  button.type = 'button'
  button.className = 'supadesk-launcher'
  button.setAttribute('aria-controls', 'supadesk-frame')
  button.style.background = cfg.color
  button.style.color = textOn(cfg.color)
  const svg = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
  const badge = doc.createElement('span')
  badge.className = 'supadesk-badge'
  badge.setAttribute('aria-hidden', 'true')
  root.appendChild(style)
  root.appendChild(button)

  function setOpen(open: boolean): void {
    button.innerHTML = svg + (open ? ICON_CLOSE : ICON_CHAT) + '</svg>'
    button.appendChild(badge)
    button.setAttribute('aria-label', open ? text[1] : text[0])
    button.setAttribute('aria-expanded', String(open))
    root.classList.toggle('supadesk-open', open)
  }
  function setUnread(count: number): void {
    badge.hidden = count < 1
    badge.textContent = count > 99 ? '99+' : String(count)
    if (count > 0) button.title = count + text[2]
    else button.removeAttribute('title')
  }
  setOpen(false)
  setUnread(0)
  doc.body.appendChild(root)
  return { root, button, frameTitle: text[3], setOpen, setUnread }
}
