"""The project's JWT secret and the HS256 keys signed with it (anon, service_role, user tokens).

One secret signs and verifies everything, as on Supabase: GoTrue signs access tokens, and PostgREST,
Storage, Realtime and the functions runtime verify them.  Verified tokens are cached (PostgREST 12
does the same) because HMAC + JSON decoding on every request is measurable on the hot path.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

ALGORITHM = "HS256"
KNOWN_ROLES = frozenset({"anon", "authenticated", "service_role"})
# Fixed so that every process derives the same keys from the same secret.
KEY_ISSUED_AT = 1767225600  # 2026-01-01T00:00:00Z
KEY_EXPIRES_AT = 2082758400  # 2036-01-01T00:00:00Z
_CACHE_SIZE = 4096

Claims = dict[str, Any]


class InvalidToken(Exception):
    """A JWT that must be refused; `reason` is a short machine code, `message` a human sentence."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def load_or_create_secret(data_dir: Path) -> str:
    """SUPADESK_JWT_SECRET, else the secret kept in `<data_dir>/jwt_secret` (created on first use)."""
    env = os.environ.get("SUPADESK_JWT_SECRET")
    if env:
        return env
    path = data_dir / "jwt_secret"
    if path.is_file():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(secret)
    tmp.chmod(0o600)
    tmp.replace(path)
    return secret


@dataclass
class ProjectKeys:
    """Signs and verifies the project's HS256 tokens."""

    secret: str
    issuer: str = "supadesk"

    def __post_init__(self) -> None:
        self._cache: OrderedDict[str, Claims] = OrderedDict()
        self.anon_key = self._project_key("anon")
        self.service_role_key = self._project_key("service_role")

    def _project_key(self, role: str) -> str:
        return self.sign({"iss": self.issuer, "role": role, "iat": KEY_ISSUED_AT, "exp": KEY_EXPIRES_AT})

    def sign(self, claims: Claims) -> str:
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Claims:
        """The token's claims, or InvalidToken.  Only HS256 with our secret, unexpired, known role."""
        cached = self._cache.get(token)
        if cached is not None:
            exp = cached.get("exp")
            if isinstance(exp, int | float) and exp <= time.time():
                del self._cache[token]
                raise InvalidToken("expired", "JWT expired")
            self._cache.move_to_end(token)
            return cached
        claims = self._decode(token)
        self._cache[token] = claims
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return claims

    def _decode(self, token: str) -> Claims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed", "JWT could not be decoded") from exc
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("bad_algorithm", f"JWT algorithm {header.get('alg')!r} is not allowed")
        try:
            claims: Claims = jwt.decode(
                token, self.secret, algorithms=[ALGORITHM], options={"verify_aud": False, "require": []}
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("expired", "JWT expired") from exc
        except jwt.InvalidSignatureError as exc:
            raise InvalidToken("bad_signature", "JWT signature is invalid") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed", "JWT could not be decoded") from exc
        if not isinstance(claims, dict):
            raise InvalidToken("malformed", "JWT payload is not an object")
        role = claims.get("role")
        if role not in KNOWN_ROLES:
            raise InvalidToken("unknown_role", f"JWT role {role!r} is not allowed")
        return claims


def load_keys(data_dir: Path) -> ProjectKeys:
    return ProjectKeys(load_or_create_secret(data_dir))
