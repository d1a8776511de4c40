"""CORS as Supabase answers browsers: any origin, the requested headers echoed (as PostgREST and
Kong do), and the response headers the clients must read exposed (Content-Range for counts,
X-Supabase-Api-Version for auth error codes, Content-Disposition for downloads)."""

from __future__ import annotations

ALLOW_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD"
DEFAULT_ALLOW_HEADERS = (
    b"authorization, apikey, x-client-info, content-type, accept-profile, content-profile, prefer, "
    b"range, x-retry-count, x-supabase-api-version, x-upsert, cache-control, x-metadata, "
    b"content-encoding, x-region"
)
EXPOSE_HEADERS = (
    b"Content-Encoding, Content-Location, Content-Range, Content-Type, Content-Disposition, Date, "
    b"Location, Range-Unit, X-Supabase-Api-Version, X-Total-Count, Link, x-relay-error, "
    b"x-sb-error-code, x-request-id, Preference-Applied, Retry-After, ETag"
)

Headers = list[tuple[bytes, bytes]]


def response_headers(request_headers: dict[str, str]) -> Headers:
    origin = request_headers.get("origin")
    if not origin:
        return []
    return [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", EXPOSE_HEADERS)]


def preflight_headers(request_headers: dict[str, str]) -> Headers:
    requested = request_headers.get("access-control-request-headers")
    return [
        (b"access-control-allow-origin", b"*"),
        (b"access-control-allow-methods", ALLOW_METHODS),
        (b"access-control-allow-headers", requested.encode("latin-1") if requested else DEFAULT_ALLOW_HEADERS),
        (b"access-control-max-age", b"86400"),
        (b"content-length", b"0"),
    ]
