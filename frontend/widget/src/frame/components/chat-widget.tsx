/**
 * ChatWidget — the panel inside the iframe: header (greeting, support online/offline, "Minimize support
 * chat"), the connection banner (role="status"), tabs "New ticket" / "My tickets" (WAI-ARIA tabs:
 * arrows, Home, End) and the active tab's panel. Escape asks the host to close the panel.
 *
 * The form is interactive on first render. The conversation part (postgrest-js, realtime-js, store,
 * list and detail views) is imported lazily right after, in parallel with the anonymous sign-in.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { Identity } from '../../shared/protocol'
import type { CreateTicketResult } from '../api/types'
import { useApp } from '../app-context'
import type { Conversation } from '../conversation'
import { useStoreState } from '../hooks/use-store'
import { ConnectionBanner } from './connection-banner'
import { CreateTicketForm } from './create-ticket-form'

type Tab = 'new' | 'mine'
const TABS: Tab[] = ['new', 'mine']

export function ChatWidget({ loadConversation }: { loadConversation: () => Promise<Conversation> }) {
  const app = useApp()
  const { t, cfg, bridge, clients } = app
  const [tab, setTab] = useState<Tab>(clients.returning ? 'mine' : 'new')
  const [identity, setIdentity] = useState<Identity>({})
  const [open, setOpen] = useState(true)
  const [pageVisible, setPageVisible] = useState(document.visibilityState !== 'hidden')
  const [conv, setConv] = useState<Conversation | null>(null)
  const [convError, setConvError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [created, setCreated] = useState<CreateTicketResult | null>(null)
  const [pendingFiles, setPendingFiles] = useState<{ ticketId: string; files: File[] } | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const state = useStoreState(conv?.store ?? null)
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ new: null, mine: null })
  const firstField = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null)
  const tabRef = useRef(tab)
  tabRef.current = tab

  const focusEntry = useCallback(() => {
    if (tabRef.current === 'new' && firstField.current) firstField.current.focus()
    else tabRefs.current[tabRef.current]?.focus()
  }, [])

  useEffect(() => {
    const off = bridge.listen((msg) => {
      if (msg.type === 'identify') setIdentity((i) => ({ ...i, ...msg.payload }))
      else {
        setOpen(msg.type === 'open')
        if (msg.type === 'open') focusEntry()
      }
    })
    bridge.send({ type: 'ready' })
    const onVisibility = (): void => setPageVisible(document.visibilityState !== 'hidden')
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      off()
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [])

  const startConversation = useCallback(() => {
    setConvError(null)
    loadConversation()
      .then((c) => {
        setConv(c)
        void c.customer.then((customer) => {
          if (customer)
            setIdentity((i) => ({ email: i.email || customer.email || undefined, name: i.name || customer.name || undefined }))
        })
      })
      .catch((error: Error) => setConvError(error.message || t.sessionFailed))
  }, [])
  useEffect(startConversation, [])
  useEffect(() => () => conv?.stop(), [conv])

  // A ticket created before the conversation part finished loading is handed over once it is there.
  useEffect(() => {
    if (!conv || !created) return
    conv.store.addTicket(created.ticket, created.message)
  }, [conv, created])

  const unread = state && conv ? conv.unread(state) : 0
  useEffect(() => bridge.send({ type: 'unread', payload: { count: unread } }), [unread])

  function selectTab(next: Tab, focus = false): void {
    setTab(next)
    if (focus) tabRefs.current[next]?.focus()
  }

  function onTabKey(e: KeyboardEvent): void {
    const i = TABS.indexOf(tab)
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowLeft' ? TABS[1 - i] : e.key === 'Home' ? 'new' : e.key === 'End' ? 'mine' : null
    if (!next) return
    e.preventDefault()
    selectTab(next, true)
  }

  function onCreated(result: CreateTicketResult, files: File[]): void {
    setCreated(result)
    setPendingFiles(files.length ? { ticketId: result.ticket.id, files } : null)
    setSelected(result.ticket.id)
    setTab('mine')
    setAnnouncement(t.created(result.ticket.number))
    bridge.send({ type: 'ticket-created', payload: { ticketId: result.ticket.id, number: result.ticket.number } })
  }

  const online = state?.agentsOnline
  const tabButton = (id: Tab, label: string, badge?: number) => (
    <button
      type="button"
      role="tab"
      id={`sd-tab-${id}`}
      class="sd-tab"
      aria-selected={tab === id}
      aria-controls={tab === id ? `sd-panel-${id}` : undefined}
      tabIndex={tab === id ? 0 : -1}
      ref={(el) => {
        tabRefs.current[id] = el
      }}
      onClick={() => selectTab(id)}
    >
      {label}
      {badge ? (
        <span class="sd-badge" aria-hidden="true">
          {badge > 99 ? '99+' : badge}
        </span>
      ) : null}
    </button>
  )

  let panel
  if (tab === 'new') panel = <CreateTicketForm identity={identity} onCreated={onCreated} firstFieldRef={firstField} />
  else if (conv && state)
    panel = (
      <conv.MyTickets
        store={conv.store}
        state={state}
        selected={selected}
        onSelect={setSelected}
        onNew={() => selectTab('new', true)}
        visible={open && pageVisible}
        initialFiles={pendingFiles}
        onInitialFilesTaken={() => setPendingFiles(null)}
      />
    )
  else if (convError)
    panel = (
      <div role="alert" class="sd-alert">
        {t.sessionFailed}{' '}
        <button type="button" class="sd-link" onClick={startConversation}>
          {t.retry}
        </button>
      </div>
    )
  else panel = <p class="sd-note">{t.loadingTickets}</p>

  return (
    <div
      class="sd-root"
      onKeyDown={(e) => {
        if (e.key === 'Escape') bridge.send({ type: 'close' })
      }}
    >
      <header class="sd-header">
        <div class="sd-heading">
          <h1 class="sd-title">{t.title}</h1>
          <p class="sd-greeting">{cfg.greeting || t.greeting}</p>
          {online != null && (
            <p class="sd-presence">
              <span class={'sd-dot' + (online ? ' sd-dot-online' : '')} aria-hidden="true" />
              {online ? t.online : t.offline}
            </p>
          )}
        </div>
        <button
          type="button"
          class="sd-icon-button sd-minimize"
          aria-label={t.minimize}
          title={t.minimize}
          onClick={() => bridge.send({ type: 'close' })}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 12h12" />
          </svg>
        </button>
      </header>
      <ConnectionBanner live={state?.live ?? null} text={t.paused} />
      <div role="tablist" aria-label={t.sections} class="sd-tabs" onKeyDown={onTabKey}>
        {tabButton('new', t.newTicket)}
        {tabButton('mine', t.myTickets, unread)}
      </div>
      <div role="tabpanel" id={`sd-panel-${tab}`} aria-labelledby={`sd-tab-${tab}`} class="sd-panel">
        {panel}
      </div>
      <div class="sd-sr" aria-live="polite">
        {announcement}
      </div>
    </div>
  )
}
