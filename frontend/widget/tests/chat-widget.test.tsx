import { act, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ChatWidget } from '../src/frame/components/chat-widget'
import { MyTickets } from '../src/frame/components/my-tickets'
import type { Conversation } from '../src/frame/conversation'
import { createStore, totalUnread } from '../src/frame/sync/store'
import { seriousViolations } from './axe'
import { FakeLive, FakeServer, memoryStorage, settle, ticket } from './fakes'
import { makeApp, renderWithApp, type TestApp } from './render-app'

function setup(opts: { returning?: boolean; tickets?: number } = {}) {
  const server = new FakeServer()
  const live = new FakeLive()
  for (let i = 1; i <= (opts.tickets ?? 0); i++) {
    server.tickets_.push(ticket(`t${i}`, { subject: `Question ${i}` }))
    server.message(`t${i}`, { sender_type: 'customer', content: `first message ${i}` })
  }
  const app = makeApp({ returning: opts.returning })
  let n = 0
  const store = createStore({ data: server, live, send: server, storage: memoryStorage(), uuid: () => `c-${++n}`, lookbackMs: 0 })
  const conversation: Conversation = {
    store,
    MyTickets,
    unread: totalUnread,
    customer: Promise.resolve({ id: 'c1', email: 'known@example.com', name: 'Known' }),
    stop: () => store.stop(),
  }
  const loadConversation = vi.fn(async () => {
    void store.start()
    return conversation
  })
  const view = renderWithApp(<ChatWidget loadConversation={loadConversation} />, app)
  return { ...view, app, server, live, store, loadConversation }
}

const types = (app: TestApp) => app.sent.map((m) => m.type)

describe('ChatWidget', () => {
  it('tells the host it is ready and starts on "New ticket" for a first-time visitor', async () => {
    const { app } = setup()
    expect(types(app)[0]).toBe('ready')
    expect(screen.getByRole('tab', { name: 'New ticket' })).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('New ticket')
    expect(screen.getByLabelText('Subject', { exact: true })).toBeInTheDocument()
  })

  it('opens on "My tickets" for a returning visitor and lists their tickets', async () => {
    setup({ returning: true, tickets: 2 })
    expect(screen.getByRole('tab', { name: 'My tickets' })).toHaveAttribute('aria-selected', 'true')
    const list = await screen.findByRole('list', { name: 'My tickets' })
    expect(within(list).getAllByRole('button')).toHaveLength(2)
    expect(within(list).getByRole('button', { name: /#1 Question 1/ })).toHaveTextContent('open')
  })

  it('switches tabs with the arrow keys and Home/End, moving focus', async () => {
    const user = userEvent.setup()
    setup()
    const first = screen.getByRole('tab', { name: 'New ticket' })
    first.focus()
    await user.keyboard('{ArrowRight}')
    const second = screen.getByRole('tab', { name: 'My tickets' })
    expect(second).toHaveFocus()
    expect(second).toHaveAttribute('aria-selected', 'true')
    expect(first).toHaveAttribute('tabindex', '-1')
    await user.keyboard('{Home}')
    expect(first).toHaveFocus()
    await user.keyboard('{End}')
    expect(second).toHaveFocus()
  })

  it('focuses the first field when the host opens the panel', async () => {
    const { app } = setup()
    act(() => app.host({ type: 'open' }))
    expect(screen.getByLabelText('Subject', { exact: true })).toHaveFocus()
  })

  it('asks the host to close on Escape and on the minimise button', async () => {
    const user = userEvent.setup()
    const { app } = setup()
    screen.getByLabelText('Subject', { exact: true }).focus()
    await user.keyboard('{Escape}')
    await user.click(screen.getByRole('button', { name: 'Minimize support chat' }))
    expect(types(app).filter((t) => t === 'close')).toHaveLength(2)
  })

  it('pre-fills the form from identify', async () => {
    const { app } = setup()
    act(() => app.host({ type: 'identify', payload: { email: 'host@example.com' } }))
    await waitFor(() => expect(screen.getByLabelText('Email', { exact: true })).toHaveValue('host@example.com'))
  })

  it('after creating a ticket shows its conversation and tells the host', async () => {
    const user = userEvent.setup()
    const { app, server } = setup()
    await settle()
    app.functions.createTicket.mockImplementation(async (input: { subject: string; message: string }) => {
      const t = ticket('t9', { number: 9, subject: input.subject })
      server.tickets_.push(t)
      const m = server.message('t9', { sender_type: 'customer', content: input.message })
      return { ticket: t, message: m, customer: { id: 'c', email: 'a@b.co', name: null } }
    })
    await user.type(screen.getByLabelText('Subject', { exact: true }), 'Broken')
    await user.type(screen.getByLabelText('Message', { exact: true }), 'It broke')
    await user.clear(screen.getByLabelText('Email', { exact: true }))
    await user.type(screen.getByLabelText('Email', { exact: true }), 'a@b.co')
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    expect(await screen.findByRole('heading', { name: '#9 Broken' })).toHaveFocus()
    expect(screen.getByRole('tab', { name: 'My tickets' })).toHaveAttribute('aria-selected', 'true')
    expect(within(screen.getByRole('log', { name: 'Conversation' })).getByText('It broke')).toBeInTheDocument()
    expect(app.sent).toContainEqual({ type: 'ticket-created', payload: { ticketId: 't9', number: 9 } })
    expect(screen.getByText('Ticket #9 created.')).toBeInTheDocument()
  })

  it('shows the connection banner only while live updates are paused', async () => {
    const { live } = setup({ returning: true, tickets: 1 })
    await settle()
    const banner = screen.getByRole('status')
    act(() => live.status('SUBSCRIBED'))
    expect(banner).toBeEmptyDOMElement()
    act(() => live.status('CHANNEL_ERROR'))
    expect(banner).toHaveTextContent('Live updates paused')
    act(() => live.status('SUBSCRIBED'))
    expect(banner).toBeEmptyDOMElement()
  })

  it('reports unread replies to the host and on the tab, and clears them when read', async () => {
    const user = userEvent.setup()
    const { app, live, server } = setup({ returning: true, tickets: 1 })
    await screen.findByRole('list', { name: 'My tickets' })
    act(() => live.insert(server.message('t1', { content: 'We are on it' })))
    await waitFor(() => expect(app.sent).toContainEqual({ type: 'unread', payload: { count: 1 } }))
    const row = screen.getByRole('button', { name: /#1 Question 1/ })
    expect(row).toHaveTextContent('1 new')
    await user.click(row)
    await waitFor(() => expect(app.sent.at(-1)).toEqual({ type: 'unread', payload: { count: 0 } }))
  })

  it('shows support presence', async () => {
    const { live } = setup({ returning: true })
    await settle()
    act(() => live.agents!(true))
    expect(screen.getByText('Support is online')).toBeInTheDocument()
    act(() => live.agents!(false))
    expect(screen.getByText(/Support is offline/)).toBeInTheDocument()
  })

  it('has no serious or critical axe violations on either tab', async () => {
    const user = userEvent.setup()
    const { container } = setup({ tickets: 2 })
    expect(await seriousViolations(container)).toEqual([])
    await user.click(screen.getByRole('tab', { name: 'My tickets' }))
    await screen.findByRole('list', { name: 'My tickets' })
    expect(await seriousViolations(container)).toEqual([])
    await user.click(screen.getByRole('button', { name: /#1 Question 1/ }))
    await screen.findByRole('log', { name: 'Conversation' })
    expect(await seriousViolations(container)).toEqual([])
  })
})
