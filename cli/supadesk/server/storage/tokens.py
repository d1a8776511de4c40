"""Signed-URL tokens: HS256 JWTs bound to `bucket/key`, a scope and an expiry.

Signed with the project secret, as Storage does. Their claims differ from access tokens (no
`role`; `url` + `scope`), so they are verified here rather than by `ProjectKeys.verify`, and they
are useless as access tokens (no role) just as access tokens are useless here (no url/scope).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import jwt

from supadesk.keys import ALGORITHM, ProjectKeys
from supadesk.server.storage import errors

Scope = Literal["download", "upload"]
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600  # storage-api refuses anything that overflows a JWT exp


@dataclass(frozen=True)
class SignedToken:
    bucket: str
    key: str
    scope: Scope
    exp: int
    owner: str | None = None
    upsert: bool = False


def sign(
    keys: ProjectKeys,
    bucket: str,
    key: str,
    scope: Scope,
    expires_in: int,
    *,
    owner: str | None = None,
    upsert: bool = False,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {"url": f"{bucket}/{key}", "scope": scope, "iat": now, "exp": now + expires_in}
    if scope == "upload":
        claims["owner"] = owner
        claims["upsert"] = upsert
    return keys.sign(claims)


def verify(keys: ProjectKeys, token: str, bucket: str, key: str, scope: Scope) -> SignedToken:
    """The token's grant for exactly `bucket/key` and `scope`, or InvalidJWT/InvalidSignature/ExpiredToken."""
    if not token:
        raise errors.missing_parameter("token")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, keys.secret, algorithms=[ALGORITHM], options={"verify_exp": False, "verify_aud": False}
        )
    except jwt.InvalidSignatureError as exc:
        raise errors.invalid_jwt("invalid signature", exc) from exc
    except jwt.PyJWTError as exc:
        raise errors.invalid_jwt("jwt malformed", exc) from exc
    if claims.get("scope") != scope:
        raise errors.invalid_signature(f"Token is not scoped for {scope}")
    if claims.get("url") != f"{bucket}/{key}":
        raise errors.invalid_signature()
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= time.time():
        raise errors.expired_token()
    owner = claims.get("owner")
    return SignedToken(
        bucket, key, scope, exp, owner=owner if isinstance(owner, str) else None, upsert=claims.get("upsert") is True
    )


def expires_in(value: object) -> int:
    """`expiresIn` as storage-js (a number) and storage3 (a string) send it."""
    if isinstance(value, bool):
        raise errors.invalid_parameter("expiresIn", "expiresIn must be a positive number of seconds")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 1 or value > MAX_EXPIRES_IN:
        raise errors.invalid_parameter("expiresIn", "expiresIn must be a positive number of seconds")
    return value
