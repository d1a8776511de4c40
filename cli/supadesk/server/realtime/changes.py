"""One decoded row change → the `data` object of a postgres_changes push (spec §4.3), pure.

The JSON text is built once per change and per set of visible columns (roles differ in column
privileges), then spliced into every subscriber's frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from supadesk.server.realtime.catalog import TableInfo
from supadesk.server.realtime.pgoutput import UNCHANGED, RowChange
from supadesk.server.realtime.serializer import dumps

ERR_UNAUTHORIZED = "Error 401: Unauthorized"
ERR_NO_PK = "Error 400: Bad Request, no primary key"
ERR_TOO_LARGE = "Error 413: Payload Too Large"
_SMALL_VALUE_BYTES = 64


def commit_timestamp(change: RowChange) -> str:
    return change.commit_time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{change.commit_time.microsecond // 1000:03d}Z"


def _row(
    table: TableInfo, change: RowChange, values: tuple[object, ...], fallback: tuple[object, ...] | None
) -> dict[str, Any]:
    names = [c.name for c in change.relation.columns]
    record: dict[str, Any] = {}
    for index, name in enumerate(names):
        value = values[index] if index < len(values) else None
        if value is UNCHANGED:
            if fallback is None or fallback[index] is UNCHANGED:
                continue
            value = fallback[index]
        if value is None:
            record[name] = None
            continue
        try:
            convert = table.converters[table.columns.index(name)]
            record[name] = convert(str(value))
        except (ValueError, IndexError):
            record[name] = value
    return record


@dataclass
class ChangeView:
    """A row change with its converted records; renders `data` JSON per visible-column set."""

    table: TableInfo
    change: RowChange
    max_record_bytes: int
    record: dict[str, Any] | None = None
    old_record: dict[str, Any] | None = None
    key: dict[str, Any] | None = None  # the primary-key values (new row, else old), None without a key
    _rendered: dict[frozenset[str], str] = field(default_factory=dict)

    @classmethod
    def build(cls, table: TableInfo, change: RowChange, max_record_bytes: int) -> ChangeView:
        view = cls(table, change, max_record_bytes)
        if change.new is not None:
            view.record = _row(table, change, change.new, change.old)
        if change.old is not None:
            view.old_record = _row(table, change, change.old, None)
        source = view.record if view.record is not None else view.old_record
        if table.key and source is not None and all(k in source for k in table.key):
            view.key = {k: source[k] for k in table.key}
        return view

    @property
    def kind(self) -> str:
        return self.change.kind

    def filter_record(self) -> dict[str, Any] | None:
        """The row that filters are evaluated against (the old row for DELETE)."""
        return self.old_record if self.kind == "DELETE" else self.record

    def data_json(self, visible: frozenset[str]) -> str:
        cached = self._rendered.get(visible)
        if cached is None:
            cached = self._rendered[visible] = dumps(self._data(visible))
        return cached

    def _data(self, visible: frozenset[str]) -> dict[str, Any]:
        table = self.table
        columns = [{"name": n, "type": t} for n, t in zip(table.columns, table.types, strict=True) if n in visible]
        errors: list[str] = []
        record = self.record
        old = self.old_record
        if not table.key:
            errors.append(ERR_NO_PK)
            record = {} if record is not None else None
            old = {} if old is not None else None
        elif not set(table.key) <= visible:
            errors.append(ERR_UNAUTHORIZED)
            record = {} if record is not None else None
            old = {} if old is not None else None
        else:
            record = _visible(record, visible)
            old = _visible(old, visible)
            if self.kind == "DELETE" and table.rls and old is not None:
                old = {k: old[k] for k in table.key if k in old}
        data: dict[str, Any] = {
            "schema": table.schema,
            "table": table.name,
            "commit_timestamp": commit_timestamp(self.change),
            "type": self.kind,
            "columns": columns,
            "errors": None,
        }
        if record is not None:
            data["record"] = record
        if old is not None:
            data["old_record"] = old
        if len(dumps(data)) > self.max_record_bytes:
            errors.append(ERR_TOO_LARGE)
            for key in ("record", "old_record"):
                if key in data:
                    data[key] = {k: v for k, v in data[key].items() if len(dumps(v)) <= _SMALL_VALUE_BYTES}
        data["errors"] = errors or None
        return data


def _visible(row: dict[str, Any] | None, visible: frozenset[str]) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v for k, v in row.items() if k in visible}
