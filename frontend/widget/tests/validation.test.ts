import { describe, expect, it } from 'vitest'
import { strings } from '../src/frame/i18n'
import { attachmentType, validateMessage, validateTicket } from '../src/frame/validation'
import { isEmail } from '../src/shared/rules'

const t = strings('en')
const ok = { subject: 'Printer', message: 'It is on fire', email: 'ada@example.com', name: '' }

describe('validateTicket mirrors create-ticket', () => {
  it('accepts a valid form (name optional)', () => {
    expect(validateTicket(ok, t)).toEqual({})
  })

  it('requires subject, message and email; whitespace does not count', () => {
    expect(validateTicket({ subject: ' ', message: '\n', email: '', name: '' }, t)).toEqual({
      subject: 'Enter a subject.',
      message: 'Enter a message.',
      email: 'Enter your email address.',
    })
  })

  it('enforces the length limits at the boundary', () => {
    expect(validateTicket({ ...ok, subject: 'x'.repeat(200) }, t).subject).toBeUndefined()
    expect(validateTicket({ ...ok, subject: 'x'.repeat(201) }, t).subject).toBe('Use at most 200 characters (now 201).')
    expect(validateTicket({ ...ok, message: 'x'.repeat(5000) }, t).message).toBeUndefined()
    expect(validateTicket({ ...ok, message: 'x'.repeat(5001) }, t).message).toMatch(/at most 5000/)
    expect(validateTicket({ ...ok, name: 'x'.repeat(100) }, t).name).toBeUndefined()
    expect(validateTicket({ ...ok, name: 'x'.repeat(101) }, t).name).toMatch(/at most 100/)
  })

  it('counts characters as the database does (an emoji is one)', () => {
    expect(validateTicket({ ...ok, subject: '🔥'.repeat(200) }, t).subject).toBeUndefined()
    expect(validateTicket({ ...ok, subject: '🔥'.repeat(201) }, t).subject).toBe('Use at most 200 characters (now 201).')
  })

  it('checks the email format', () => {
    expect(validateTicket({ ...ok, email: 'ada@' }, t).email).toBe(t.badEmail)
  })

  it('validates replies', () => {
    expect(validateMessage('  ', t)).toBe('Enter a message.')
    expect(validateMessage('hi', t)).toBeUndefined()
  })
})

describe('isEmail', () => {
  // The customers_email_format rule, exactly: it is what the server and the database accept.
  it.each(['a@b.co', 'first.last+tag@sub.example.org', 'a@b..de', `${'x'.repeat(315)}@b.de`])('accepts %s', (e) =>
    expect(isEmail(e)).toBe(true),
  )
  it.each(['', 'a', 'a@b', 'a b@c.de', '@b.de', 'a@b@c.de', `${'x'.repeat(316)}@b.de`])('rejects %s', (e) =>
    expect(isEmail(e)).toBe(false),
  )
})

describe('attachmentType', () => {
  it.each([
    [{ name: 'a.png', type: 'image/png' }, 'image/png'],
    [{ name: 'clip.mov', type: 'video/quicktime' }, 'video/quicktime'],
    [{ name: 'r.pdf', type: 'application/pdf' }, 'application/pdf'],
    [{ name: 'r.docx', type: '' }, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    [{ name: 'logs.zip', type: 'application/zip' }, 'application/zip'],
    [{ name: 'notes.txt', type: 'text/plain' }, 'text/plain'],
    [{ name: 'logs.zip', type: 'application/x-zip-compressed' }, 'application/zip'],
    [{ name: 'data.csv', type: 'text/csv; charset=utf-8' }, 'text/csv'],
  ])('allows %o', (file, type) => expect(attachmentType(file)).toBe(type))

  it.each([
    { name: 'setup.exe', type: 'application/x-msdownload' },
    { name: 'script.sh', type: '' },
    { name: 'noext', type: '' },
    { name: 'photo.heic', type: 'image/heic' },
    { name: 'icon.svg', type: 'image/svg+xml' },
    { name: 'evil.png', type: 'text/html' },
  ])('refuses %o', (file) => expect(attachmentType(file)).toBeNull())
})

describe('rate-limit message', () => {
  it.each([
    [undefined, 'Too many requests. Please try again shortly.'],
    [1, 'Too many requests. Please try again in 1 second.'],
    [30, 'Too many requests. Please try again in 30 seconds.'],
    [300, 'Too many requests. Please try again in 5 minutes.'],
    [42480, 'Too many requests. Please try again in 12 hours.'],
  ])('Retry-After %s → %s', (seconds, text) => expect(t.rateLimited(seconds)).toBe(text))

  it('speaks German too', () => {
    expect(strings('de').rateLimited(3600)).toBe('Zu viele Anfragen. Bitte in 60 Minuten erneut versuchen.')
    expect(strings('de').rateLimited(7200)).toBe('Zu viele Anfragen. Bitte in 2 Stunden erneut versuchen.')
  })
})
