"""Who is calling: the role and JWT claims a request carries, as every surface sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from supadesk.keys import Claims


@dataclass(frozen=True)
class RequestContext:
    """The database identity of one request (or one realtime subscriber).

    `role` is the PostgreSQL role to `set local role` to; `claims` is the JWT payload with `role`
    inserted, exactly what PostgREST puts into `request.jwt.claims`.
    """

    role: str
    claims: Claims
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def user_id(self) -> str | None:
        sub = self.claims.get("sub")
        return sub if isinstance(sub, str) and sub else None

    @property
    def is_anonymous_role(self) -> bool:
        """True when no user token was presented (PostgREST answers 42501 with 401 then, else 403)."""
        return self.role == "anon"

    @property
    def is_service_role(self) -> bool:
        return self.role == "service_role"

    def with_request(self, method: str, path: str, headers: dict[str, str]) -> RequestContext:
        return RequestContext(self.role, self.claims, method, path, headers)


def context_from_claims(claims: Claims, **request: Any) -> RequestContext:
    role = str(claims.get("role") or "anon")
    return RequestContext(role=role, claims={**claims, "role": role}, **request)
