"""postgres_changes filters: `column=op.value` with eq, neq, lt, lte, gt, gte, in (pure).

The value is converted with the column's type converter, so `id=eq.5` compares numbers and
`created_at=gt.2026-01-01 10:00:00+00` compares normalized ISO timestamps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from supadesk.server.realtime.values import converter

OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "in")


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    values: tuple[Any, ...]

    def matches(self, record: dict[str, Any] | None) -> bool:
        if record is None or self.column not in record:
            return False
        actual = record[self.column]
        if actual is None:
            return False
        if self.op == "in":
            return actual in self.values
        expected = self.values[0]
        try:
            return bool(_COMPARE[self.op](actual, expected))
        except TypeError:
            return False


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}


def parse(text: str, column_type: Callable[[str], str | None]) -> Filter:
    """Parse `col=op.value`; `column_type(col)` gives the column's type name or None if unknown."""
    column, sep, rest = text.partition("=")
    op, dot, raw = rest.partition(".")
    if not sep or not dot or not column:
        raise FilterError(f"Error parsing `filter` params: {text}")
    if op not in OPERATORS:
        raise FilterError(f"Error parsing `filter` params: unsupported operator {op!r} in {text}")
    type_name = column_type(column)
    if type_name is None:
        raise FilterError(f"Error parsing `filter` params: unknown column {column!r} in {text}")
    convert = converter(type_name)
    try:
        if op == "in":
            if not (raw.startswith("(") and raw.endswith(")")):
                raise FilterError(f"Error parsing `filter` params: `in` needs (a,b,…) in {text}")
            values = tuple(convert(_unquote(v)) for v in _split(raw[1:-1]))
        else:
            values = (convert(raw),)
    except (ValueError, IndexError) as exc:
        raise FilterError(f"Error parsing `filter` params: bad value in {text}") from exc
    return Filter(column, op, values)


def _split(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            current.append(char)
        elif char == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return [i for i in items if i != ""]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
