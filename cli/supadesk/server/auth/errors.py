"""The auth error catalogue (GoTrue's codes and messages) and how an error is rendered.

Clients that send `X-Supabase-Api-Version: 2024-01-01` (both official clients always do) get
`{code, message}` and the header echoed; older callers get GoTrue's first format
`{code: <status>, error_code, msg}`.  Either way `x-sb-error-code` carries the code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

API_VERSION_HEADER = "x-supabase-api-version"
API_VERSION_2024 = dt.date(2024, 1, 1)


class AuthError(Exception):
    """A refusal with an HTTP status, a stable snake_case code and a sentence for the user."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


# -- request shape -------------------------------------------------------------------------------


def bad_json(detail: str) -> AuthError:
    return AuthError(400, "bad_json", f"Could not parse request body as JSON: {detail}")


def validation_failed(message: str, status: int = 400) -> AuthError:
    return AuthError(status, "validation_failed", message)


def not_found() -> AuthError:
    return AuthError(404, "not_found", "Not found")


def method_not_allowed() -> AuthError:
    return AuthError(405, "method_not_allowed", "Method not allowed")


def over_request_rate_limit(retry_after: str) -> AuthError:
    return AuthError(429, "over_request_rate_limit", "Request rate limit reached", headers={"retry-after": retry_after})


def unexpected_failure() -> AuthError:
    return AuthError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information")


# -- sign-up and sign-in -------------------------------------------------------------------------


def signup_disabled() -> AuthError:
    return AuthError(422, "signup_disabled", "Signups not allowed for this instance")


def anonymous_provider_disabled() -> AuthError:
    return AuthError(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled")


def email_provider_disabled(what: str = "signups") -> AuthError:
    return AuthError(400, "email_provider_disabled", f"Email {what} are disabled")


def phone_provider_disabled(what: str = "signups") -> AuthError:
    return AuthError(400, "phone_provider_disabled", f"Phone {what} are disabled")


def invalid_email() -> AuthError:
    return validation_failed("Unable to validate email address: invalid format")


def weak_password(minimum: int) -> AuthError:
    return AuthError(
        422,
        "weak_password",
        f"Password should be at least {minimum} characters.",
        extra={"weak_password": {"reasons": ["length"]}},
    )


def password_too_long(maximum: int) -> AuthError:
    return validation_failed(f"Password cannot be longer than {maximum} characters", 422)


def same_password() -> AuthError:
    return AuthError(422, "same_password", "New password should be different from the old password.")


def user_already_exists() -> AuthError:
    return AuthError(422, "user_already_exists", "User already registered")


def email_exists() -> AuthError:
    return AuthError(422, "email_exists", "A user with this email address has already been registered")


def invalid_credentials(message: str = "Invalid login credentials") -> AuthError:
    return AuthError(400, "invalid_credentials", message)


def email_not_confirmed() -> AuthError:
    return AuthError(400, "email_not_confirmed", "Email not confirmed")


def user_banned() -> AuthError:
    return AuthError(400, "user_banned", "User is banned")


# -- refresh tokens ------------------------------------------------------------------------------


def refresh_token_not_found() -> AuthError:
    return AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")


def refresh_token_already_used() -> AuthError:
    return AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")


def refresh_session_not_found() -> AuthError:
    return AuthError(400, "session_not_found", "Invalid Refresh Token: No Valid Session Found")


def session_expired() -> AuthError:
    return AuthError(400, "session_expired", "Invalid Refresh Token: Session Expired")


# -- bearer tokens -------------------------------------------------------------------------------


def no_authorization() -> AuthError:
    return AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token")


def bad_jwt(detail: str, status: int = 403) -> AuthError:
    return AuthError(status, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {detail}")


def user_not_found(status: int = 403, message: str = "User from sub claim in JWT does not exist") -> AuthError:
    return AuthError(status, "user_not_found", message)


def session_not_found() -> AuthError:
    return AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist")


def not_admin(message: str = "User not allowed") -> AuthError:
    return AuthError(403, "not_admin", message)


# -- rendering -----------------------------------------------------------------------------------


def wants_2024_format(headers: Mapping[str, str]) -> bool:
    """True when the caller named API version 2024-01-01 or later (an unparsable value: no)."""
    value = headers.get(API_VERSION_HEADER)
    if not value:
        return False
    try:
        return dt.date.fromisoformat(value.strip()) >= API_VERSION_2024
    except ValueError:
        return False


def error_response(error: AuthError, request_headers: Mapping[str, str]) -> Response:
    headers = {"x-sb-error-code": error.code, **error.headers}
    if wants_2024_format(request_headers):
        headers[API_VERSION_HEADER] = API_VERSION_2024.isoformat()
        body: dict[str, Any] = {"code": error.code, "message": error.message, **error.extra}
    else:
        body = {"code": error.status, "error_code": error.code, "msg": error.message, **error.extra}
    return Response(json.dumps(body), status_code=error.status, headers=headers, media_type="application/json")
