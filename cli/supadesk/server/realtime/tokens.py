"""JWT checks with the real Realtime server's error codes and messages."""

from __future__ import annotations

import time
from typing import Any

import jwt

from supadesk.keys import Claims, InvalidToken, ProjectKeys


class TokenError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _seconds_expired(token: str) -> int:
    try:
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
        return max(0, int(time.time() - float(claims.get("exp", time.time()))))
    except (jwt.PyJWTError, TypeError, ValueError):
        return 0


def verify(keys: ProjectKeys, token: str) -> Claims:
    """Claims of a valid, unexpired token carrying `role` and `exp`; else TokenError."""
    try:
        claims = keys.verify(token)
    except InvalidToken as exc:
        if exc.reason == "expired":
            raise TokenError("InvalidJWTToken", f"Token has expired {_seconds_expired(token)} seconds ago") from exc
        if exc.reason == "bad_signature":
            raise TokenError("JwtSignatureError", "Failed to validate JWT signature") from exc
        if exc.reason == "malformed":
            raise TokenError("MalformedJWT", "The token provided is not a valid JWT") from exc
        raise TokenError("InvalidJWTToken", exc.message) from exc
    if not isinstance(claims.get("exp"), int | float) or not claims.get("role"):
        raise TokenError("InvalidJWTToken", "Fields `role` and `exp` are required in JWT")
    return claims


def handshake_error(keys: ProjectKeys, apikey: str | None) -> tuple[Claims | None, str | None]:
    """(claims, None) for a valid project key at the socket handshake, else (None, error text)."""
    if not apikey:
        return None, "API key is missing"
    try:
        return verify(keys, apikey), None
    except TokenError as exc:
        if exc.code == "InvalidJWTToken" and exc.message.startswith("Token has expired"):
            return None, "Token has expired"
        return None, exc.message
