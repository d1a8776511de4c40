/**
 * Widget strings. English names are the stable contract the browser e2e test queries by role
 * (see ../../README.md); other locales translate the visible text.
 */
import type { TicketStatus } from './api/types'

/** Rounds a Retry-After delay to the unit a person would use. */
export function waitUnits(seconds: number): [amount: number, unit: 'second' | 'minute' | 'hour'] {
  if (seconds < 90) return [Math.max(1, Math.round(seconds)), 'second']
  if (seconds < 90 * 60) return [Math.round(seconds / 60), 'minute']
  return [Math.round(seconds / 3600), 'hour']
}
const EN_UNITS = { second: 'second', minute: 'minute', hour: 'hour' }
const DE_UNITS = { second: ['Sekunde', 'Sekunden'], minute: ['Minute', 'Minuten'], hour: ['Stunde', 'Stunden'] }

const en = {
  title: 'Support',
  greeting: 'Hi! How can we help?',
  minimize: 'Minimize support chat',
  sections: 'Support chat sections',
  newTicket: 'New ticket',
  myTickets: 'My tickets',
  subject: 'Subject',
  message: 'Message',
  email: 'Email',
  name: 'Name',
  optional: 'Optional',
  emailHint: 'We reply here and by email.',
  createTicket: 'Create ticket',
  required: (field: string) => `Enter ${field === 'Email' ? 'your email address' : 'a ' + field.toLowerCase()}.`,
  tooLong: (max: number, now: number) => `Use at most ${max} characters (now ${now}).`,
  badEmail: 'Enter a valid email address, like name@example.com.',
  fixErrors: 'Please correct the highlighted fields.',
  rateLimited: (s?: number) => {
    if (!s) return 'Too many requests. Please try again shortly.'
    const [n, unit] = waitUnits(s)
    return `Too many requests. Please try again in ${n} ${EN_UNITS[unit]}${n === 1 ? '' : 's'}.`
  },
  network: 'You seem to be offline. Check your connection and try again.',
  created: (n: number) => `Ticket #${n} created.`,
  status: { open: 'open', pending: 'pending', resolved: 'resolved', closed: 'closed' } as Record<TicketStatus, string>,
  statusLabel: 'Status',
  loadingTickets: 'Loading your tickets…',
  noTickets: 'You have no tickets yet.',
  startTicket: 'Start a new ticket',
  unread: (n: number) => `${n} new`,
  back: 'Back to my tickets',
  conversation: 'Conversation',
  loadingConversation: 'Loading the conversation…',
  you: 'You',
  support: 'Support',
  system: 'Notice',
  sending: 'Sending…',
  notSent: 'Not sent.',
  retry: 'Retry',
  typeMessage: 'Type your message',
  send: 'Send',
  attach: 'Attach file',
  attachments: 'Attachments to send',
  remove: (name: string) => `Remove ${name}`,
  uploading: (name: string) => `Uploading ${name}`,
  download: (name: string) => `Download ${name}`,
  preparing: 'Preparing download…',
  fileTooLarge: (name: string) => `${name} is larger than 50 MB.`,
  serverField: (label: string, problem: string) => (/^[a-z]/.test(problem) ? `${label} ${problem}.` : problem),
  fileType: (name: string) => `${name}: this file type is not allowed.`,
  uploadFailed: (name: string) => `${name} could not be uploaded.`,
  tooManyFiles: (name: string, max: number) => `${name}: at most ${max} files per message.`,
  typing: 'Support is typing…',
  online: 'Support is online',
  offline: 'Support is offline — we will reply by email',
  paused: 'Live updates paused — reconnecting…',
  closedTicket: 'This ticket is closed. Start a new ticket if you need more help.',
  sessionFailed: 'Could not start the chat. Please reload and try again.',
  frameOnly: 'This page is part of the supadesk chat widget and works only inside it.',
}

export type Strings = typeof en

const de: Strings = {
  ...en,
  title: 'Support',
  greeting: 'Hallo! Wie können wir helfen?',
  minimize: 'Support-Chat minimieren',
  sections: 'Bereiche des Support-Chats',
  newTicket: 'Neues Ticket',
  myTickets: 'Meine Tickets',
  subject: 'Betreff',
  message: 'Nachricht',
  email: 'E-Mail',
  name: 'Name',
  optional: 'Optional',
  emailHint: 'Wir antworten hier und per E-Mail.',
  createTicket: 'Ticket erstellen',
  required: (field) => `Bitte ${field} angeben.`,
  tooLong: (max, now) => `Höchstens ${max} Zeichen (jetzt ${now}).`,
  badEmail: 'Bitte eine gültige E-Mail-Adresse angeben, z. B. name@example.com.',
  fixErrors: 'Bitte die markierten Felder korrigieren.',
  rateLimited: (s) => {
    if (!s) return 'Zu viele Anfragen. Bitte gleich erneut versuchen.'
    const [n, unit] = waitUnits(s)
    return `Zu viele Anfragen. Bitte in ${n} ${DE_UNITS[unit][n === 1 ? 0 : 1]} erneut versuchen.`
  },
  network: 'Keine Verbindung. Bitte Verbindung prüfen und erneut versuchen.',
  created: (n) => `Ticket #${n} erstellt.`,
  status: { open: 'offen', pending: 'wartend', resolved: 'gelöst', closed: 'geschlossen' },
  loadingTickets: 'Tickets werden geladen…',
  noTickets: 'Noch keine Tickets.',
  startTicket: 'Neues Ticket beginnen',
  unread: (n) => `${n} neu`,
  back: 'Zurück zu meinen Tickets',
  conversation: 'Unterhaltung',
  loadingConversation: 'Unterhaltung wird geladen…',
  you: 'Sie',
  system: 'Hinweis',
  sending: 'Wird gesendet…',
  notSent: 'Nicht gesendet.',
  retry: 'Erneut senden',
  typeMessage: 'Nachricht eingeben',
  send: 'Senden',
  attach: 'Datei anhängen',
  attachments: 'Anhänge zum Senden',
  remove: (name) => `${name} entfernen`,
  uploading: (name) => `${name} wird hochgeladen`,
  download: (name) => `${name} herunterladen`,
  preparing: 'Download wird vorbereitet…',
  fileTooLarge: (name) => `${name} ist größer als 50 MB.`,
  fileType: (name) => `${name}: Dieser Dateityp ist nicht erlaubt.`,
  uploadFailed: (name) => `${name} konnte nicht hochgeladen werden.`,
  tooManyFiles: (name, max) => `${name}: höchstens ${max} Dateien pro Nachricht.`,
  typing: 'Support schreibt…',
  online: 'Support ist online',
  offline: 'Support ist offline – wir antworten per E-Mail',
  paused: 'Live-Aktualisierung pausiert – verbinde neu…',
  closedTicket: 'Dieses Ticket ist geschlossen. Für weitere Hilfe bitte ein neues Ticket erstellen.',
  sessionFailed: 'Der Chat konnte nicht gestartet werden. Bitte neu laden.',
  frameOnly: 'Diese Seite gehört zum supadesk-Chat-Widget und funktioniert nur darin.',
}

export function strings(locale: string): Strings {
  return locale === 'de' ? de : en
}
