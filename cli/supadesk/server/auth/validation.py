"""Input checks shared by the endpoints: email format, password rules, ids and durations."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from supadesk.keys import KNOWN_ROLES
from supadesk.server.auth import errors

MAX_EMAIL_LENGTH = 255
MAX_PASSWORD_BYTES = 72  # bcrypt ignores (and our bcrypt refuses) anything longer

_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"
)
# Go's time.ParseDuration units, which `ban_duration` uses ("24h", "1h30m", "none").
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def email(value: str) -> str:
    """The address, trimmed and lower-cased, or 400 validation_failed."""
    value = value.strip()
    if len(value) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(value):
        raise errors.invalid_email()
    return value.lower()


def password(value: str, minimum: int) -> str:
    if len(value) < minimum:
        raise errors.weak_password(minimum)
    if len(value.encode()) > MAX_PASSWORD_BYTES:
        raise errors.password_too_long(MAX_PASSWORD_BYTES)
    return value


def user_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise errors.AuthError(404, "validation_failed", "user_id must be an UUID") from exc


def role(value: str) -> str:
    # Tokens with other roles would be refused by every surface, so do not mint them.
    if value not in KNOWN_ROLES:
        raise errors.validation_failed(f"role must be one of: {', '.join(sorted(KNOWN_ROLES))}")
    return value


def ban_until(value: str, now: dt.datetime) -> dt.datetime | None:
    """`ban_duration` as an end time; "none" (or a zero duration) lifts the ban."""
    if value == "none":
        return None
    parts = _DURATION_PART.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        raise errors.validation_failed(f"invalid format for ban duration: {value!r}")
    seconds = sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)
    if seconds > 100 * 365 * 86400:
        raise errors.validation_failed("ban duration is too long")
    return now + dt.timedelta(seconds=seconds) if seconds > 0 else None
