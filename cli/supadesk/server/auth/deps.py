"""What every auth endpoint shares: the pool, the keys, the config, the token issuer, the limiters."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import cast

import asyncpg
from starlette.requests import Request

from supadesk.accounts import check_password, hash_password
from supadesk.keys import ProjectKeys
from supadesk.server.auth import errors
from supadesk.server.auth.config import AuthConfig
from supadesk.server.auth.http import client_ip
from supadesk.server.auth.tokens import TokenIssuer
from supadesk.server.ratelimit import RateLimiter
from supadesk.types import Conn

# Checked when the email is unknown, so a miss costs what a wrong password costs.
_DUMMY_HASH = hash_password("supadesk-timing-equaliser")


@dataclass
class AuthDeps:
    pool: asyncpg.Pool
    keys: ProjectKeys
    config: AuthConfig
    api_url: str
    tokens: TokenIssuer = field(init=False)
    limiters: dict[str, RateLimiter] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = TokenIssuer(self.keys, f"{self.api_url}/auth/v1", self.config.jwt_expiry)
        self.limiters = {name: RateLimiter(limit) for name, limit in self.config.rate_limits.items()}

    def check_rate(self, name: str, request: Request) -> None:
        """Spend one request of the caller's IP from limiter `name`, or 429 with Retry-After."""
        limiter = self.limiters.get(name)
        if limiter is None:
            return
        wait = limiter.hit(client_ip(request))
        if wait is not None:
            raise errors.over_request_rate_limit(limiter.retry_after_header(wait))


def as_connection(conn: Conn) -> asyncpg.Connection:
    """A pooled connection where `accounts.create_user` asks for `asyncpg.Connection` (the proxy
    forwards every method; the annotation predates `supadesk.types.Conn`)."""
    return cast("asyncpg.Connection", conn)


# bcrypt costs tens of milliseconds of CPU: keep it off the event loop.
async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def check_password_async(password: str, hashed: str | None) -> bool:
    if not hashed:
        await asyncio.to_thread(check_password, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(check_password, password, hashed)
