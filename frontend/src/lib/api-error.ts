/** One error type for every network boundary (PostgREST, edge functions, storage, auth). */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface PostgrestLikeError {
  code?: string;
  message: string;
  details?: string | null;
}

interface PostgrestLikeResult<T> {
  data: T | null;
  error: PostgrestLikeError | null;
  status: number;
}

/** Throws an ApiError for a failed PostgREST response; returns its data otherwise. */
export function unwrap<T>(result: PostgrestLikeResult<T>): T | null {
  if (result.error) {
    const code = result.error.details && /^[a-z_]+$/.test(result.error.details)
      ? result.error.details
      : result.error.code || `http_${result.status}`;
    throw new ApiError(result.status, code, result.error.message);
  }
  return result.data;
}

/** Like unwrap, for queries that always return rows. */
export function unwrapRows<T>(result: PostgrestLikeResult<T[]>): T[] {
  return unwrap(result) ?? [];
}

function hasResponseContext(error: unknown): error is { context: Response } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'context' in error &&
    typeof Response !== 'undefined' &&
    error.context instanceof Response
  );
}

/** Edge functions answer `{"error": {"code", "message"}}` with a 4xx/5xx status. */
export async function fromFunctionsError(error: unknown): Promise<ApiError> {
  if (hasResponseContext(error)) {
    const response = error.context;
    let code = `http_${response.status}`;
    let message = `Request failed (HTTP ${response.status}).`;
    try {
      const body: unknown = await response.clone().json();
      const detail = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
      if (typeof detail === 'object' && detail !== null) {
        if ('code' in detail && typeof detail.code === 'string') code = detail.code;
        if ('message' in detail && typeof detail.message === 'string') message = detail.message;
      }
    } catch {
      // Not JSON: keep the generic message.
    }
    return new ApiError(response.status, code, message);
  }
  const message = error instanceof Error ? error.message : 'Network error';
  return new ApiError(0, 'network_error', message);
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export function isServerError(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 500;
}

/** Network failures and 5xx may succeed on retry; 4xx never do. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

export function userMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return 'Cannot reach the server. Check your connection.';
    if (error.status === 403) return 'You do not have permission to do that.';
    if (error.status >= 500) return 'The server had a problem. Please try again.';
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}
