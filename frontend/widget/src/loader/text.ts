/**
 * Launcher strings and icons, English and German. Separate exports so each bundle carries only what
 * it uses: the stub needs the "open" label and the chat icon, loader-ui the rest.
 */
import type { Locale } from './config'

export const OPEN_LABEL: Record<Locale, string> = { en: 'Open support chat', de: 'Support-Chat öffnen' }

/** [close label, unread suffix, iframe title] */
export const UI_TEXT: Record<Locale, [string, string, string]> = {
  en: ['Close support chat', ' unread messages', 'Support chat'],
  de: ['Support-Chat schließen', ' ungelesene Nachrichten', 'Support-Chat'],
}

export const CHAT_ICON = 'M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12z'
export const CLOSE_ICON = 'M6 6l12 12M18 6 6 18'
