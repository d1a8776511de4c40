/**
 * The error catalogue shared by every function: a stable snake_case code, its HTTP status and a
 * message a person can act on. Responses carry only these; causes are logged, never sent.
 *
 * The SQL API raises `PTnnn` with the code in `detail` (see the ticket_api migration), so a database
 * error maps 1:1 onto this catalogue; anything else becomes `internal_error`.
 */

export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, message: "The request body must be a JSON object" },
  validation_failed: { status: 400, message: "Some fields are invalid" },
  invalid_attachment_path: { status: 400, message: "Attachments must be uploaded into the ticket's folder" },
  attachment_not_uploaded: { status: 400, message: "An attachment has not been uploaded" },
  attachment_expired: { status: 400, message: "An upload must be sent within 6 hours; attach the file again" },
  not_authenticated: { status: 401, message: "Sign in first (an anonymous session is enough)" },
  forbidden: { status: 403, message: "You are not allowed to do this" },
  attachment_not_owned: { status: 403, message: "An attachment was not uploaded by you" },
  ticket_not_found: { status: 404, message: "Ticket not found" },
  attachment_not_found: { status: 404, message: "Attachment not found" },
  method_not_allowed: { status: 405, message: "Use POST" },
  ticket_closed: { status: 409, message: "Ticket is closed" },
  invalid_transition: { status: 409, message: "The ticket cannot move to that status" },
  client_id_conflict: { status: 409, message: "This client_id belongs to another message" },
  attachment_already_linked: { status: 409, message: "An attachment is already attached to a message" },
  payload_too_large: { status: 413, message: "The request body is too large" },
  file_too_large: { status: 413, message: "The file is too large" },
  unsupported_file_type: { status: 415, message: "Files of this type cannot be attached" },
  rate_limited: { status: 429, message: "Too many requests; please try again later" },
  internal_error: { status: 500, message: "Internal error" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** A failure the client should see: code + status + message (+ field details, + response headers). */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    readonly details?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_CATALOGUE[code].status;
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: Record<string, string> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CATALOGUE, value);
}

export function validationError(details: Record<string, string>): ApiError {
  const fields = Object.keys(details);
  const message = fields.length === 1
    ? `${fields[0]} ${details[fields[0]]}`
    : `${fields.length} fields are invalid: ${fields.join(", ")}`;
  return new ApiError("validation_failed", message, details);
}

export function rateLimitedError(retryAfterSeconds: number, message?: string): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError("rate_limited", message, { retry_after: String(seconds) }, {
    "Retry-After": String(seconds),
  });
}

/** What PostgREST (through supabase-js) reports for a failed call. */
export interface DatabaseErrorLike {
  code?: string;
  message?: string;
  details?: string | null;
  hint?: string | null;
}

// PostgREST's JWT failures (expired, invalid, missing claims): the session is no longer valid.
const JWT_ERRORS = new Set(["PGRST301", "PGRST302", "PGRST303"]);

/**
 * The client-facing error for a database error, or null when it is unexpected (the caller then
 * logs it and answers 500). Only our own PTnnn errors with a catalogued code pass through, with the
 * message our SQL wrote for people; PostgreSQL's own messages never do.
 */
export function fromDatabaseError(error: DatabaseErrorLike): ApiError | null {
  const code = error.code ?? "";
  if (JWT_ERRORS.has(code)) return new ApiError("not_authenticated");
  const match = /^PT(\d{3})$/.exec(code);
  if (!match || !isErrorCode(error.details)) return null;
  const mapped = error.details;
  if (ERROR_CATALOGUE[mapped].status !== Number(match[1])) return null;
  const message = error.message || ERROR_CATALOGUE[mapped].message;
  switch (mapped) {
    case "validation_failed": {
      const field = error.hint || "body";
      const prefix = `${field} `;
      const problem = message.startsWith(prefix) ? message.slice(prefix.length) : message;
      return new ApiError(mapped, message, { [field]: problem });
    }
    case "rate_limited":
      return rateLimitedError(Number(error.hint) || 60, message);
    case "invalid_attachment_path":
    case "attachment_not_uploaded":
    case "attachment_expired":
    case "attachment_not_owned":
    case "attachment_already_linked":
      return new ApiError(mapped, message, error.hint ? { [error.hint]: message } : undefined);
    default:
      return new ApiError(mapped, message);
  }
}
