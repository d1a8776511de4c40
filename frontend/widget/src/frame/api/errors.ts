/**
 * One error type for every call the widget makes. Edge functions answer 4xx with
 * `{"error": {"code", "message", "details"?}}`; PostgREST with `{code, message, details, hint}`;
 * network failures have status 0 and are retryable.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field name → first message, for `validation_failed`. */
    readonly fields: Record<string, string> = {},
    /** Seconds, from Retry-After on 429. */
    readonly retryAfter?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** Worth retrying with the same client_id: network trouble, rate limits and server faults. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500
  }
}

/** Normalises `error.details` (object of strings/arrays, or a list of {field, message}). */
export function fieldErrors(details: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : Array.isArray(v) ? text(v[0]) : (v as { message?: string } | null)?.message
  if (Array.isArray(details)) {
    for (const item of details as Record<string, unknown>[]) {
      const field = item?.field ?? item?.path ?? item?.name
      const message = text(item)
      if (typeof field === 'string' && message) out[field] = message
      else if (Array.isArray(field) && message) out[String(field[0])] = message
    }
  } else if (details && typeof details === 'object') {
    for (const [field, value] of Object.entries(details)) {
      const message = text(value)
      if (message) out[field] = message
    }
  }
  return out
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

/** Builds an ApiError from an HTTP response whose status is not 2xx. */
export async function fromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await response.clone().json()
  } catch {
    /* not JSON */
  }
  const wrapped = (body as { error?: unknown } | null)?.error
  const err = (typeof wrapped === 'object' && wrapped ? wrapped : body) as
    | { code?: unknown; message?: unknown; details?: unknown; msg?: unknown }
    | null
  const code = typeof err?.code === 'string' ? err.code : typeof wrapped === 'string' ? wrapped : `http_${response.status}`
  const message =
    typeof err?.message === 'string' ? err.message : typeof err?.msg === 'string' ? err.msg : response.statusText || code
  return new ApiError(
    response.status,
    code,
    message,
    fieldErrors(err?.details),
    retryAfterSeconds(response.headers.get('Retry-After')),
  )
}

/** Maps whatever functions-js / fetch threw into an ApiError. */
export async function toApiError(error: unknown): Promise<ApiError> {
  if (error instanceof ApiError) return error
  const context = (error as { context?: unknown } | null)?.context
  if (typeof Response !== 'undefined' && context instanceof Response) return fromResponse(context)
  const name = (error as Error | null)?.name
  if (name === 'FunctionsFetchError' || name === 'TypeError' || name === 'AbortError')
    return new ApiError(0, 'network', 'Network error')
  return new ApiError(0, 'unexpected', (error as Error | null)?.message || 'Unexpected error')
}
