"""PostgreSQL text output → the JSON values Supabase Realtime sends (what `to_jsonb` would give).

Numbers and booleans become JSON numbers/booleans, json/jsonb are parsed, arrays become lists
(element type from the array type's name, `_int4` → `int4`), timestamps use ISO 8601 with `T`
(`2026-01-01T10:00:00.123+00:00`), everything else stays a string.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Converter = Callable[[str], Any]

_INTS = frozenset({"int2", "int4", "int8", "oid", "xid", "cid"})
_FLOATS = frozenset({"float4", "float8"})


def _to_int(text: str) -> Any:
    return int(text)


def _to_float(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text
    return value if value == value and value not in (float("inf"), float("-inf")) else text


def _to_numeric(text: str) -> Any:
    if text in ("NaN", "Infinity", "-Infinity"):
        return text
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return int(text)


def _to_bool(text: str) -> Any:
    return text == "t"


def _to_json(text: str) -> Any:
    return json.loads(text)


def _timestamptz(text: str) -> Any:
    # "2026-01-01 10:00:00.123+00" → "2026-01-01T10:00:00.123+00:00"
    iso = text.replace(" ", "T", 1)
    sign = max(iso.rfind("+"), iso.rfind("-"))
    if sign > 10:
        offset = iso[sign + 1 :]
        if len(offset) == 2:
            iso += ":00"
        elif len(offset) == 4 and ":" not in offset:
            iso = iso[: sign + 3] + ":" + offset[2:]
    return iso


def _timestamp(text: str) -> Any:
    return text.replace(" ", "T", 1)


def _text(text: str) -> Any:
    return text


_SCALARS: dict[str, Converter] = {
    **{name: _to_int for name in _INTS},
    **{name: _to_float for name in _FLOATS},
    "numeric": _to_numeric,
    "bool": _to_bool,
    "json": _to_json,
    "jsonb": _to_json,
    "timestamptz": _timestamptz,
    "timestamp": _timestamp,
}


def converter(type_name: str) -> Converter:
    """The function turning a column's text value into its JSON value."""
    if type_name.startswith("_"):
        element = _SCALARS.get(type_name[1:], _text)
        return lambda text: parse_array(text, element)
    return _SCALARS.get(type_name, _text)


def parse_array(text: str, element: Converter) -> Any:
    """Parse a PostgreSQL array literal (`{1,2}`, `{"a b",NULL}`, `{{1},{2}}`, `[0:1]={…}`)."""
    if text.startswith("["):
        text = text[text.index("=") + 1 :]
    value, end = _parse_level(text, 0, element)
    if end != len(text):
        raise ValueError("trailing characters after array literal")
    return value


def _parse_level(text: str, pos: int, element: Converter) -> tuple[list[Any], int]:
    if text[pos] != "{":
        raise ValueError("array literal must start with {")
    pos += 1
    items: list[Any] = []
    if text[pos] == "}":
        return items, pos + 1
    while True:
        char = text[pos]
        if char == "{":
            nested, pos = _parse_level(text, pos, element)
            items.append(nested)
        elif char == '"':
            pos += 1
            chunk: list[str] = []
            while text[pos] != '"':
                if text[pos] == "\\":
                    pos += 1
                chunk.append(text[pos])
                pos += 1
            pos += 1
            items.append(element("".join(chunk)))
        else:
            start = pos
            while text[pos] not in ",}":
                pos += 1
            raw = text[start:pos].strip()
            items.append(None if raw == "NULL" else element(raw))
        if text[pos] == ",":
            pos += 1
            continue
        if text[pos] == "}":
            return items, pos + 1
        raise ValueError("malformed array literal")
