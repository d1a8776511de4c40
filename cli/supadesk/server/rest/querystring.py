"""The query string as a cacheable *shape* plus the values that vary between requests.

`id=eq.42&select=*` and `id=eq.43&select=*` share one shape — `(("id", "eq.", True), ("select",
"*", False))` — and differ only in their slot values (`["42"]` vs `["43"]`). Parsing, planning and
SQL rendering depend on the shape alone, so their result is cached per shape and the slot values are
bound as parameters. Only operators whose value is a single opaque string are slotted; lists,
`is`, full-text search and everything in logic trees stay in the shape.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from supadesk.server.rest import errors
from supadesk.server.rest.filters import SIMPLE_OPERATORS

ShapeEntry = tuple[str, str, bool]  # (key, value or operator prefix, value is a slot)
Shape = tuple[ShapeEntry, ...]

# Operators whose value is a plain literal that can become a bound slot (the same set filters parse).
SLOT_OPERATORS = SIMPLE_OPERATORS
TOP_LEVEL_KEYS = frozenset({"select", "columns", "on_conflict"})
NODE_KEYS = frozenset({"order", "limit", "offset", "or", "and"})
_SLOT_RE = re.compile(r"^((?:not\.)?([a-z]+)\.)(.*)$", re.DOTALL)


def is_reserved(key: str) -> bool:
    """select/columns/on_conflict, or a node modifier, possibly for an embed (`messages.order`)."""
    if key in TOP_LEVEL_KEYS:
        return True
    return key.rpartition(".")[2] in NODE_KEYS


def split_query(query_string: str) -> list[tuple[str, str]]:
    """Decode `a=1&b=2` (`+` is a space, as for PostgREST and URLSearchParams); blank values kept."""
    pairs: list[tuple[str, str]] = []
    for part in query_string.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        if "%" in part or "+" in part:  # the common case (`id=eq.42`) needs no decoding
            try:
                key, value = unquote_plus(key, errors="strict"), unquote_plus(value, errors="strict")
            except UnicodeDecodeError as exc:
                raise errors.parse_error("Invalid query string", "The query string is not valid UTF-8") from exc
        if "\x00" in key or "\x00" in value:
            raise errors.parse_error("Invalid query string", "NUL characters are not allowed")
        pairs.append((key, value))
    return pairs


def shape_query(pairs: list[tuple[str, str]], *, slots: bool = True) -> tuple[Shape, list[str]]:
    """Split decoded pairs into a hashable shape and the slot values, in order."""
    shape: list[ShapeEntry] = []
    values: list[str] = []
    for key, value in pairs:
        if slots and not is_reserved(key):
            match = _SLOT_RE.match(value)
            if match is not None and match.group(2) in SLOT_OPERATORS:
                shape.append((key, match.group(1), True))
                values.append(match.group(3))
                continue
        shape.append((key, value, False))
    return tuple(shape), values
