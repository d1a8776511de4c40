"""Upload limits: the global file size limit (`[storage] file_size_limit` in config.toml, or
SUPADESK_STORAGE_FILE_SIZE_LIMIT), a bucket's own limit, and its allowed MIME types."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from supadesk.server.storage import errors

DEFAULT_GLOBAL_LIMIT = 50 * 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(value: str | int) -> int:
    """Bytes from `52428800`, "50MiB", "50MB" or "20kb" (binary units, as the Supabase CLI reads them)."""
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def global_limit(supabase_dir: Path) -> int:
    env = os.environ.get("SUPADESK_STORAGE_FILE_SIZE_LIMIT")
    if env:
        return parse_size(env)
    try:
        with open(supabase_dir / "config.toml", "rb") as fh:
            value = tomllib.load(fh).get("storage", {}).get("file_size_limit")
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_GLOBAL_LIMIT
    try:
        return parse_size(value) if isinstance(value, str | int) else DEFAULT_GLOBAL_LIMIT
    except ValueError:
        return DEFAULT_GLOBAL_LIMIT


def effective_limit(global_bytes: int, bucket_bytes: int | None) -> int:
    return min(global_bytes, bucket_bytes) if bucket_bytes else global_bytes


def base_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def check_mime_type(content_type: str, allowed: list[str] | None) -> None:
    """InvalidMimeType unless the declared type matches the bucket's list (`type/*` wildcards)."""
    if not allowed:
        return
    declared = base_type(content_type)
    kind, _, sub = declared.partition("/")
    if not kind or not sub:
        raise errors.invalid_mime_type(content_type or "(none)")
    for entry in allowed:
        a_kind, _, a_sub = entry.strip().lower().partition("/")
        if a_kind == kind and (a_sub == "*" or a_sub == sub):
            return
    raise errors.invalid_mime_type(declared)


def bucket_size_limit(value: object) -> int | None:
    """A bucket's `file_size_limit` from a create/update body (number, numeric string or "20MB")."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise errors.StorageError("InvalidRequest", 400, "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B")
    if isinstance(value, int | float) and value >= 0:
        return int(value) or None
    if isinstance(value, str):
        try:
            return parse_size(value) or None
        except ValueError:
            pass
    raise errors.StorageError("InvalidRequest", 400, "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B")
