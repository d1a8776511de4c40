import { describe, expect, it, vi } from 'vitest'
import { ApiError, fieldErrors, fromResponse, toApiError } from '../src/frame/api/errors'
import { putFile, resolveSignedUrl } from '../src/frame/api/upload'
import { FakeXHR } from './fakes'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

describe('fromResponse', () => {
  it('reads the edge-function error shape with per-field details', async () => {
    const err = await fromResponse(
      json(400, { error: { code: 'validation_failed', message: 'Invalid input', details: { subject: 'Too long', email: ['Invalid email'] } } }),
    )
    expect(err).toMatchObject({ status: 400, code: 'validation_failed', message: 'Invalid input' })
    expect(err.fields).toEqual({ subject: 'Too long', email: 'Invalid email' })
    expect(err.retryable).toBe(false)
  })

  it('reads Retry-After on 429 (seconds or HTTP date)', async () => {
    expect((await fromResponse(json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '30' }))).retryAfter).toBe(30)
    const date = new Date(Date.now() + 60_000).toUTCString()
    const later = await fromResponse(json(429, {}, { 'Retry-After': date }))
    expect(later.retryAfter).toBeGreaterThan(55)
    expect(later.retryable).toBe(true)
  })

  it('reads PostgREST-style and non-JSON errors', async () => {
    expect(await fromResponse(json(409, { code: 'PT409', message: 'Ticket is closed', details: 'ticket_closed' }))).toMatchObject({
      code: 'PT409',
      message: 'Ticket is closed',
    })
    const plain = await fromResponse(new Response('oops', { status: 502, statusText: 'Bad Gateway' }))
    expect(plain).toMatchObject({ status: 502, code: 'http_502', message: 'Bad Gateway', retryable: true })
  })
})

describe('fieldErrors', () => {
  it('accepts a list of {field|path, message}', () => {
    expect(fieldErrors([{ field: 'email', message: 'Bad' }, { path: ['subject'], message: 'Empty' }, { nope: 1 }])).toEqual({
      email: 'Bad',
      subject: 'Empty',
    })
  })
  it('ignores junk', () => {
    expect(fieldErrors('x')).toEqual({})
    expect(fieldErrors(null)).toEqual({})
  })
})

describe('toApiError', () => {
  it('unwraps a functions-js HTTP error through its Response', async () => {
    const err = await toApiError({ name: 'FunctionsHttpError', context: json(409, { error: { code: 'ticket_closed', message: 'Ticket is closed' } }) })
    expect(err).toMatchObject({ status: 409, code: 'ticket_closed' })
  })
  it('maps fetch failures to a retryable network error', async () => {
    const err = await toApiError({ name: 'FunctionsFetchError', message: 'Failed to send a request' })
    expect(err).toMatchObject({ status: 0, code: 'network', retryable: true })
  })
  it('passes ApiError through', async () => {
    const original = new ApiError(400, 'x', 'y')
    expect(await toApiError(original)).toBe(original)
  })
})

describe('uploads', () => {
  it('resolves signed URLs against the API', () => {
    expect(resolveSignedUrl('https://cdn.example/u?token=1', 'http://api')).toBe('https://cdn.example/u?token=1')
    expect(resolveSignedUrl('/storage/v1/object/upload/sign/b/p?token=1', 'http://api')).toBe('http://api/storage/v1/object/upload/sign/b/p?token=1')
    expect(resolveSignedUrl('/object/upload/sign/b/p?token=1', 'http://api')).toBe('http://api/storage/v1/object/upload/sign/b/p?token=1')
  })

  it('PUTs the raw file with its type and reports progress', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    const progress: number[] = []
    const file = new Blob(['abc'], { type: 'image/png' })
    const done = putFile('http://api/u', file, 'image/png', { apikey: 'anon' }, (p) => progress.push(p))
    const xhr = FakeXHR.last
    expect(xhr).toMatchObject({ method: 'PUT', url: 'http://api/u', body: file })
    expect(xhr.headers).toEqual({ 'Content-Type': 'image/png', apikey: 'anon' })
    xhr.progress(1, 4)
    xhr.respond(200)
    await done
    expect(progress).toEqual([0.25, 1])
    vi.unstubAllGlobals()
  })

  it('rejects with the storage error message', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    const done = putFile('http://api/u', new Blob(['x']), 'text/plain', {}, () => undefined)
    FakeXHR.last.respond(413, '{"message":"Payload too large"}')
    await expect(done).rejects.toMatchObject({ status: 413, message: 'Payload too large' })
    vi.unstubAllGlobals()
  })
})
