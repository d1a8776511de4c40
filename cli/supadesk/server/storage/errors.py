"""The storage error catalogue: one factory per error, rendered as Supabase Storage renders them.

Body `{statusCode: "<logical status>", code, error, message}`; the HTTP status is 400 for every
error except 500 (storage-api's `userStatusCode`), with the few exceptions storage-api makes itself
(416 for ranges).  The original cause is kept for the log, never rendered.
"""

from __future__ import annotations

import json
import logging

import asyncpg
from starlette.responses import Response

log = logging.getLogger("supadesk.storage")


class StorageError(Exception):
    """A failure the client is told about: code + logical status + message (+ hidden cause)."""

    def __init__(
        self,
        code: str,
        status: int,
        message: str,
        *,
        error: str | None = None,
        http_status: int | None = None,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.error = error or code
        self.http_status = http_status if http_status is not None else (500 if status == 500 else 400)
        self.cause = cause

    def body(self) -> dict[str, str]:
        return {"statusCode": str(self.status), "code": self.code, "error": self.error, "message": self.message}

    def response(self) -> Response:
        payload = json.dumps(self.body()).encode()
        return Response(payload, status_code=self.http_status, media_type="application/json")


def no_such_bucket() -> StorageError:
    return StorageError("NoSuchBucket", 404, "Bucket not found", error="Bucket not found")


def no_such_key() -> StorageError:
    return StorageError("NoSuchKey", 404, "Object not found", error="not_found")


def invalid_key(key: str, reason: str) -> StorageError:
    shown = key.replace("\x00", "\\0")[:200]
    return StorageError("InvalidKey", 400, f"Invalid key: {shown} ({reason})")


def invalid_bucket_name(name: str) -> StorageError:
    return StorageError("InvalidBucketName", 400, "Bucket name invalid", error="Invalid Input")


def invalid_request(message: str) -> StorageError:
    return StorageError("InvalidRequest", 400, message)


def missing_parameter(name: str) -> StorageError:
    return StorageError("MissingParameter", 400, f"Missing Required Parameter {name}")


def invalid_parameter(name: str, message: str | None = None) -> StorageError:
    return StorageError("InvalidParameter", 400, message or f"Invalid Parameter {name}")


def access_denied(message: str = "Access denied", cause: BaseException | None = None) -> StorageError:
    return StorageError("AccessDenied", 403, message, error="Unauthorized", cause=cause)


def rls_violation(cause: BaseException | None = None) -> StorageError:
    return access_denied("new row violates row-level security policy", cause)


def invalid_jwt(message: str = "Invalid JWT", cause: BaseException | None = None) -> StorageError:
    return StorageError("InvalidJWT", 400, message, cause=cause)


def invalid_signature(message: str = "Invalid signature") -> StorageError:
    return StorageError("InvalidSignature", 400, message)


def expired_token() -> StorageError:
    return StorageError("ExpiredToken", 400, "The provided token has expired.")


def duplicate(cause: BaseException | None = None) -> StorageError:
    return StorageError("Duplicate", 409, "The resource already exists", error="Duplicate", cause=cause)


def bucket_already_exists(cause: BaseException | None = None) -> StorageError:
    return StorageError("BucketAlreadyExists", 409, "The resource already exists", error="Duplicate", cause=cause)


def bucket_not_empty() -> StorageError:
    return StorageError("ResourceNotEmpty", 409, "The bucket you tried to delete is not empty")


def entity_too_large(limit: int) -> StorageError:
    return StorageError(
        "EntityTooLarge",
        413,
        f"The object exceeded the maximum allowed size ({limit} bytes)",
        error="Payload too large",
    )


def invalid_mime_type(mime_type: str) -> StorageError:
    return StorageError("InvalidMimeType", 415, f"mime type {mime_type} is not supported", error="invalid_mime_type")


def content_mismatch(mime_type: str, detected: str) -> StorageError:
    return StorageError(
        "InvalidMimeType",
        415,
        f"the file content does not match mime type {mime_type} (it looks like {detected})",
        error="invalid_mime_type",
    )


def invalid_range() -> StorageError:
    return StorageError("InvalidRange", 416, "invalid range provided", error="invalid_range", http_status=416)


def database_timeout(cause: BaseException | None = None) -> StorageError:
    return StorageError(
        "DatabaseTimeout", 544, "The connection to the database timed out", http_status=544, cause=cause
    )


def internal(cause: BaseException | None = None) -> StorageError:
    return StorageError("InternalError", 500, "Internal server error", error="internal", cause=cause)


def from_database(exc: asyncpg.PostgresError) -> StorageError:
    """Translate a driver error raised by user-scoped SQL (RLS, constraints, timeouts)."""
    state = getattr(exc, "sqlstate", None)
    if state == "42501":
        return rls_violation(exc)
    if state == "23505":
        return duplicate(exc)
    if state == "57014":
        return database_timeout(exc)
    if state in ("22P02", "22001", "23514", "23502"):
        return invalid_request("The request is not valid for this bucket or object")
    return internal(exc)


def log_error(error: StorageError, method: str, path: str) -> None:
    if error.status >= 500 or error.code == "InternalError":
        log.error("storage %s %s failed: %s", method, path, error.code, exc_info=error.cause or error)
    elif error.cause is not None:
        log.debug("storage %s %s: %s (%s)", method, path, error.code, error.cause)
