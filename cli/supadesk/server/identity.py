"""From request headers to a RequestContext: the project key (`apikey`) and the user's Bearer token.

Kong in front of Supabase rejects requests without a valid project key; the services then use the
Bearer token (or, without one, the key itself) to pick the role.  Surfaces call `resolve_context`
and map `InvalidToken` to their own error format (PGRST301/303, storage InvalidJWT, GoTrue bad_jwt).
"""

from __future__ import annotations

from collections.abc import Mapping

from supadesk.keys import InvalidToken, ProjectKeys
from supadesk.server.context import RequestContext, context_from_claims


def bearer_token(headers: Mapping[str, str]) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def api_key(headers: Mapping[str, str], query_key: str | None = None) -> str | None:
    return headers.get("apikey") or headers.get("x-api-key") or query_key or None


def check_api_key(keys: ProjectKeys, key: str | None) -> None:
    """Raise InvalidToken unless `key` is one of the project's keys (any valid project JWT)."""
    if not key:
        raise InvalidToken("missing_api_key", "No API key found in request")
    if key in (keys.anon_key, keys.service_role_key):
        return
    keys.verify(key)


def resolve_context(
    keys: ProjectKeys, headers: Mapping[str, str], method: str = "GET", path: str = "/"
) -> RequestContext:
    """The caller's identity: the Bearer token's claims, else the apikey's (anon without both)."""
    token = bearer_token(headers) or api_key(headers)
    claims = keys.verify(token) if token else {"role": "anon"}
    return context_from_claims(
        claims, method=method, path=path, headers={k.lower(): v for k, v in headers.items()}
    )
