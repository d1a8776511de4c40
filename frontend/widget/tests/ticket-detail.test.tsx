import { act, screen, waitFor, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../src/frame/api/errors'
import { TicketDetail } from '../src/frame/components/ticket-detail'
import { useStoreState } from '../src/frame/hooks/use-store'
import { createStore, type ConversationStore } from '../src/frame/sync/store'
import { FakeLive, FakeServer, FakeXHR, memoryStorage, settle, ticket } from './fakes'
import { makeApp, renderWithApp, type TestApp } from './render-app'

let server: FakeServer
let live: FakeLive
let store: ConversationStore

function Detail({ initialFiles }: { initialFiles?: File[] }) {
  const state = useStoreState(store)!
  const t = state.tickets.find((x) => x.id === 't1')!
  return (
    <TicketDetail
      ticket={t}
      thread={state.threads.t1}
      typing={Boolean(state.typing.t1)}
      store={store}
      visible
      initialFiles={initialFiles}
      onBack={() => undefined}
    />
  )
}

async function show(initialFiles?: File[], app: TestApp = makeApp()) {
  await store.start()
  const view = renderWithApp(<Detail initialFiles={initialFiles} />, app)
  await settle()
  return view
}

afterEach(() => {
  vi.unstubAllGlobals()
})

beforeEach(() => {
  server = new FakeServer()
  live = new FakeLive()
  server.tickets_.push(ticket('t1', { number: 5, subject: 'Login fails' }))
  server.message('t1', { sender_type: 'customer', content: 'I cannot log in' })
  let n = 0
  store = createStore({ data: server, live, send: server, storage: memoryStorage(), uuid: () => `c-${++n}`, lookbackMs: 0 })
})

describe('TicketDetail', () => {
  it('shows the ticket, its status as text, and the conversation', async () => {
    await show()
    expect(screen.getByRole('heading', { name: '#5 Login fails' })).toHaveFocus()
    expect(screen.getByText('open')).toHaveClass('sd-status')
    expect(within(screen.getByRole('log', { name: 'Conversation' })).getByText('I cannot log in')).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: 'Type your message' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Attach file' })).toBeInTheDocument()
  })

  it('follows status changes live and hides the reply box once closed', async () => {
    await show()
    act(() => live.handlers!.ticket({ id: 't1', status: 'resolved' }))
    expect(screen.getByText('resolved')).toBeInTheDocument()
    act(() => live.handlers!.ticket({ id: 't1', status: 'closed' }))
    expect(screen.getByText('closed')).toBeInTheDocument()
    expect(screen.queryByRole('textbox', { name: 'Type your message' })).toBeNull()
    expect(screen.getByText(/This ticket is closed/)).toBeInTheDocument()
  })

  it('sends with Enter, keeps Shift+Enter for new lines, and shows the reply at once', async () => {
    const user = userEvent.setup()
    await show()
    const box = screen.getByRole('textbox', { name: 'Type your message' })
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two{Enter}')
    expect(server.addMessage).toHaveBeenCalledWith({ ticket_id: 't1', content: 'line one\nline two', client_id: 'c-1' })
    expect(box).toHaveValue('')
    expect(box).toHaveFocus()
    await waitFor(() => expect(screen.getByText(/line two/)).toBeInTheDocument())
  })

  it('does not send an empty message and says why', async () => {
    const user = userEvent.setup()
    await show()
    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(server.addMessage).not.toHaveBeenCalled()
    expect(screen.getByRole('textbox', { name: 'Type your message' })).toHaveAccessibleDescription('Enter a message.')
  })

  it('offers Retry for a message that failed to send, without doubling it', async () => {
    const user = userEvent.setup()
    await show()
    server.addMessage.mockRejectedValueOnce(new ApiError(0, 'network', 'Network error'))
    await user.type(screen.getByRole('textbox', { name: 'Type your message' }), 'are you there?{Enter}')
    await user.click(await screen.findByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull())
    expect(screen.getAllByText('are you there?')).toHaveLength(1)
    expect(server.addMessage.mock.calls.map(([i]) => i.client_id)).toEqual(['c-1', 'c-1'])
  })

  it('shows "Support is typing…" while an agent types', async () => {
    await show()
    act(() => live.typing.get('t1')!({ sender_type: 'admin', typing: true }))
    expect(screen.getByText('Support is typing…')).toBeInTheDocument()
    act(() => live.typing.get('t1')!({ sender_type: 'admin', typing: false }))
    expect(screen.queryByText('Support is typing…')).toBeNull()
  })

  it('tells support the visitor is typing, at most every 2 s', async () => {
    const user = userEvent.setup()
    await show()
    await user.type(screen.getByRole('textbox', { name: 'Type your message' }), 'hello')
    expect(live.sent).toEqual([{ ticketId: 't1', typing: true }])
    await user.tab()
    expect(live.sent.at(-1)).toEqual({ ticketId: 't1', typing: false })
  })

  it('offers downloads and image previews by signed URL', async () => {
    server.attachmentRows.push(
      { id: 'a1', ticket_id: 't1', message_id: 'srv-1', file_name: 'report.pdf', mime_type: 'application/pdf', size_bytes: 2048, object_path: 'p1' },
      { id: 'a2', ticket_id: 't1', message_id: 'srv-1', file_name: 'screen.png', mime_type: 'image/png', size_bytes: 10, object_path: 'p2' },
    )
    const app = makeApp()
    app.functions.signDownload.mockImplementation(async (id: string) => ({ signed_url: `https://files.example/${id}?token=x`, expires_in: 60 }))
    await show(undefined, app)
    const link = await screen.findByRole('link', { name: 'Download report.pdf' })
    expect(link).toHaveAttribute('href', 'https://files.example/a1?token=x')
    expect(screen.getByRole('img', { name: 'screen.png' })).toHaveAttribute('src', 'https://files.example/a2?token=x')
    expect(app.functions.signDownload).toHaveBeenCalledWith('a1')
  })

  it('uploads picked files with progress and sends them with the message', async () => {
    const user = userEvent.setup()
    const app = makeApp()
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    FakeXHR.all = []
    app.functions.signUpload.mockResolvedValue({ path: 'tickets/t1/shot.png', signed_url: '/object/upload/sign/x?token=1', token: '1', expires_in: 60 })
    const { container } = await show(undefined, app)
    await user.upload(container.querySelector('input[type=file]')!, new File(['png'], 'shot.png', { type: 'image/png' }))
    await waitFor(() => expect(FakeXHR.all).toHaveLength(1))
    const xhr = FakeXHR.last
    expect(xhr).toMatchObject({ method: 'PUT', url: 'http://api/storage/v1/object/upload/sign/x?token=1' })
    expect(xhr.headers).toMatchObject({ 'Content-Type': 'image/png', apikey: 'anon', Authorization: 'Bearer token' })
    act(() => xhr.progress(1, 2))
    expect(screen.getByRole('progressbar', { name: 'Uploading shot.png' })).toHaveAttribute('value', '50')
    await user.type(screen.getByRole('textbox', { name: 'Type your message' }), 'see screenshot{Enter}')
    expect(server.addMessage).not.toHaveBeenCalled()
    await act(async () => xhr.respond(200))
    await user.click(screen.getByRole('button', { name: 'Send' }))
    expect(server.addMessage).toHaveBeenCalledWith({
      ticket_id: 't1',
      content: 'see screenshot',
      client_id: 'c-1',
      attachments: [{ object_path: 'tickets/t1/shot.png', file_name: 'shot.png', mime_type: 'image/png' }],
    })
    expect(app.functions.signUpload).toHaveBeenCalledWith({ ticket_id: 't1', file_name: 'shot.png', mime_type: 'image/png', size: 3 })
  })

  it('accepts at most 10 files per message', async () => {
    const user = userEvent.setup()
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    const app = makeApp()
    app.functions.signUpload.mockImplementation(async ({ file_name }: { file_name: string }) => ({ path: `tickets/t1/${file_name}`, signed_url: 'https://s/x', token: '1', expires_in: 60 }))
    const { container } = await show(undefined, app)
    const files = Array.from({ length: 11 }, (_, i) => new File(['x'], `f${i}.txt`, { type: 'text/plain' }))
    await user.upload(container.querySelector('input[type=file]')!, files)
    expect(screen.getByText('f10.txt: at most 10 files per message.')).toBeInTheDocument()
    await waitFor(() => expect(app.functions.signUpload).toHaveBeenCalledTimes(10))
  })

  it('sends files from the new-ticket form on their own once uploaded', async () => {
    const app = makeApp()
    app.functions.signUpload.mockResolvedValue({ path: 'tickets/t1/log.txt', signed_url: 'https://s/x', token: '1', expires_in: 60 })
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    FakeXHR.all = []
    await show([new File(['log'], 'log.txt', { type: 'text/plain' })], app)
    await waitFor(() => expect(FakeXHR.all).toHaveLength(1))
    expect(server.addMessage).not.toHaveBeenCalled()
    await act(async () => FakeXHR.last.respond(200))
    await waitFor(() =>
      expect(server.addMessage).toHaveBeenCalledWith(
        expect.objectContaining({ content: '', attachments: [expect.objectContaining({ file_name: 'log.txt' })] }),
      ),
    )
  })
})
