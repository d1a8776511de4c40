"""PostgreSQL errors → HTTP, with PostgREST's SQLSTATE table (docs/references/errors.rst)."""

from __future__ import annotations

import asyncpg

from supadesk.server.rest import errors

_EXACT = {
    "23503": 409,
    "23505": 409,
    "25006": 405,
    "53400": 500,
    "P0001": 400,
    "42883": 404,
    "42P01": 404,
    "42P17": 500,
}
_PREFIX = {
    "08": 503,
    "09": 500,
    "0L": 403,
    "0P": 403,
    "25": 500,
    "28": 403,
    "2D": 500,
    "38": 500,
    "39": 500,
    "3B": 500,
    "40": 500,
    "53": 503,
    "54": 500,
    "55": 500,
    "57": 500,
    "58": 500,
    "F0": 500,
    "HV": 500,
    "P0": 500,
    "XX": 500,
}


def http_status(sqlstate: str, anonymous: bool) -> int:
    """The status PostgREST answers for `sqlstate` (42501: 401 without a user, 403 with one)."""
    if sqlstate == "42501":
        return 401 if anonymous else 403
    if sqlstate in _EXACT:
        return _EXACT[sqlstate]
    if sqlstate.startswith("PT") and sqlstate[2:].isdigit():
        status = int(sqlstate[2:])
        return status if 100 <= status <= 599 else 500
    return _PREFIX.get(sqlstate[:2], 400)


def from_postgres(exc: asyncpg.PostgresError, anonymous: bool) -> errors.ApiError:
    sqlstate = exc.sqlstate or "XX000"
    status = http_status(sqlstate, anonymous)
    headers = [(b"www-authenticate", b"Bearer")] if status == 401 else []
    message = getattr(exc, "message", None) or str(exc)
    return errors.ApiError(status, sqlstate, message, getattr(exc, "detail", None), getattr(exc, "hint", None), headers)
