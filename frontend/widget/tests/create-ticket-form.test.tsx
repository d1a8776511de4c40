import { screen, waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../src/frame/api/errors'
import { CreateTicketForm } from '../src/frame/components/create-ticket-form'
import { seriousViolations } from './axe'
import { makeApp, renderWithApp } from './render-app'

const result = {
  ticket: { id: 't1', number: 42, subject: 'Printer', status: 'open', created_at: '2026-01-01T00:00:00Z' },
  message: { id: 'm1', ticket_id: 't1', sender_type: 'customer', sender_id: 'u', content: 'Help', client_id: 'c', created_at: '2026-01-01T00:00:00Z' },
  customer: { id: 'c1', email: 'ada@example.com', name: null },
}

async function fill(user: ReturnType<typeof userEvent.setup>, values: Partial<Record<'Subject' | 'Message' | 'Email' | 'Name', string>>) {
  for (const [label, value] of Object.entries(values)) {
    const field = screen.getByLabelText(label, { exact: true })
    await user.clear(field)
    if (value) await user.type(field, value)
  }
}

describe('CreateTicketForm', () => {
  it('has the labelled fields and the submit button the e2e test relies on', () => {
    renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    for (const label of ['Subject', 'Message', 'Email', 'Name']) expect(screen.getByLabelText(label, { exact: true })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Create ticket' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Attach file' })).toBeInTheDocument()
    expect(screen.getByLabelText('Name', { exact: true })).toHaveAccessibleDescription('Optional')
  })

  it('shows inline errors on submit, focuses the first invalid field and sends nothing', async () => {
    const user = userEvent.setup()
    const { app } = renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    await fill(user, { Email: 'ada@' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    const subject = screen.getByLabelText('Subject', { exact: true })
    expect(subject).toHaveFocus()
    expect(subject).toHaveAttribute('aria-invalid', 'true')
    expect(subject).toHaveAccessibleDescription('Enter a subject.')
    expect(screen.getByLabelText('Message', { exact: true })).toHaveAccessibleDescription('Enter a message.')
    expect(screen.getByLabelText('Email', { exact: true })).toHaveAccessibleDescription(/valid email address/)
    expect(app.functions.createTicket).not.toHaveBeenCalled()
  })

  it('validates a field when it is left, not while the visitor is still typing', async () => {
    const user = userEvent.setup()
    renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    const subject = screen.getByLabelText('Subject', { exact: true })
    await user.type(subject, 'x'.repeat(201))
    expect(subject).not.toHaveAttribute('aria-invalid')
    await user.tab()
    expect(subject).toHaveAccessibleDescription('Use at most 200 characters (now 201).')
  })

  it('creates the ticket with trimmed values and a client_id, then hands over', async () => {
    const user = userEvent.setup()
    const onCreated = vi.fn()
    const { app } = renderWithApp(<CreateTicketForm identity={{}} onCreated={onCreated} />)
    app.functions.createTicket.mockResolvedValue(result)
    await fill(user, { Subject: '  Printer ', Message: 'Help', Email: 'ada@example.com' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(result, []))
    const input = app.functions.createTicket.mock.calls[0][0]
    expect(input).toMatchObject({ subject: 'Printer', message: 'Help', email: 'ada@example.com' })
    expect(input).not.toHaveProperty('name')
    expect(input.client_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(screen.getByLabelText('Subject', { exact: true })).toHaveValue('')
    expect(screen.getByLabelText('Email', { exact: true })).toHaveValue('ada@example.com')
  })

  it('reuses the client_id when a failed submit is retried', async () => {
    const user = userEvent.setup()
    const { app } = renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    app.functions.createTicket.mockRejectedValueOnce(new ApiError(0, 'network', 'Network error')).mockResolvedValueOnce(result)
    await fill(user, { Subject: 'Printer', Message: 'Help', Email: 'ada@example.com' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(/offline/)
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    await waitFor(() => expect(app.functions.createTicket).toHaveBeenCalledTimes(2))
    const [[first], [second]] = app.functions.createTicket.mock.calls
    expect(second.client_id).toBe(first.client_id)
  })

  it('shows the server\'s field errors next to the fields', async () => {
    const user = userEvent.setup()
    const { app } = renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    app.functions.createTicket.mockRejectedValue(
      new ApiError(400, 'validation_failed', 'email must be a valid email address', { email: 'must be a valid email address' }),
    )
    await fill(user, { Subject: 'Printer', Message: 'Help', Email: 'ada@example.com' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    const email = screen.getByLabelText('Email', { exact: true })
    await waitFor(() => expect(email).toHaveAccessibleDescription(/Email must be a valid email address\./))
    expect(email).toHaveFocus()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('explains rate limiting with the Retry-After delay', async () => {
    const user = userEvent.setup()
    const { app } = renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    app.functions.createTicket.mockRejectedValue(new ApiError(429, 'rate_limited', 'Too many', {}, 30))
    await fill(user, { Subject: 'Printer', Message: 'Help', Email: 'ada@example.com' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests. Please try again in 30 seconds.')
  })

  it('shows other server errors as they are', async () => {
    const user = userEvent.setup()
    const { app } = renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    app.functions.createTicket.mockRejectedValue(new ApiError(403, 'blocked', 'You are blocked'))
    await fill(user, { Subject: 'Printer', Message: 'Help', Email: 'ada@example.com' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('You are blocked')
  })

  it('pre-fills email and name from identify without overwriting what was typed', async () => {
    const user = userEvent.setup()
    const app = makeApp()
    const { rerender } = renderWithApp(<CreateTicketForm identity={{ email: 'ada@example.com' }} onCreated={() => undefined} />, app)
    expect(screen.getByLabelText('Email', { exact: true })).toHaveValue('ada@example.com')
    await fill(user, { Name: 'Typed' })
    const { AppContext } = await import('../src/frame/app-context')
    rerender(
      <AppContext.Provider value={app}>
        <CreateTicketForm identity={{ email: 'ada@example.com', name: 'From host' }} onCreated={() => undefined} />
      </AppContext.Provider>,
    )
    expect(screen.getByLabelText('Name', { exact: true })).toHaveValue('Typed')
  })

  it('lists picked files, refuses forbidden ones, and passes the good ones on', async () => {
    const user = userEvent.setup({ applyAccept: false })
    const onCreated = vi.fn()
    const { app, container } = renderWithApp(<CreateTicketForm identity={{}} onCreated={onCreated} />)
    app.functions.createTicket.mockResolvedValue(result)
    const good = new File(['png'], 'shot.png', { type: 'image/png' })
    const bad = new File(['exe'], 'setup.exe', { type: 'application/x-msdownload' })
    await user.upload(container.querySelector('input[type=file]')!, [good, bad])
    expect(screen.getByRole('list', { name: 'Attachments to send' })).toHaveTextContent('shot.png')
    expect(screen.getByText('setup.exe: this file type is not allowed.')).toBeInTheDocument()
    await fill(user, { Subject: 'Printer', Message: 'Help', Email: 'ada@example.com' })
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(result, [good]))
  })

  it('has no serious or critical axe violations, also with errors shown', async () => {
    const user = userEvent.setup()
    const { container } = renderWithApp(<CreateTicketForm identity={{}} onCreated={() => undefined} />)
    expect(await seriousViolations(container)).toEqual([])
    await user.click(screen.getByRole('button', { name: 'Create ticket' }))
    expect(await seriousViolations(container)).toEqual([])
  })
})
