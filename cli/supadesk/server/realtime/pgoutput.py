"""Decoder of the `pgoutput` logical replication protocol, version 1 (pure, no I/O).

Rows of `pg_logical_slot_get_binary_changes(..., 'proto_version', '1', 'publication_names', …)`
each carry one message: Begin `B`, Relation `R`, Type `Y`, Insert `I`, Update `U`, Delete `D`,
Truncate `T`, Origin `O`, Commit `C`. `Decoder.feed` keeps the relation map across calls and
returns the complete transactions' row changes in commit order.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

_I16 = struct.Struct("!h")
_I32 = struct.Struct("!i")
_U32 = struct.Struct("!I")
_I64 = struct.Struct("!q")

# A tuple column: None = SQL NULL, UNCHANGED = unchanged TOAST value, else the text value.
UNCHANGED = object()


class DecodeError(Exception):
    pass


@dataclass(frozen=True)
class Column:
    name: str
    type_oid: int
    is_key: bool


@dataclass(frozen=True)
class Relation:
    oid: int
    schema: str
    name: str
    replica_identity: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class RowChange:
    relation: Relation
    kind: str  # INSERT | UPDATE | DELETE
    new: tuple[object, ...] | None
    old: tuple[object, ...] | None  # UPDATE/DELETE: the replica identity (all columns when FULL)
    old_is_key_only: bool
    commit_time: datetime
    lsn: int
    xid: int = 0  # the transaction's 32-bit id (from Begin)


@dataclass
class _Txn:
    xid: int = 0
    changes: list[tuple[Relation, str, tuple[object, ...] | None, tuple[object, ...] | None, bool]] = field(
        default_factory=list
    )


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def byte(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def i16(self) -> int:
        (value,) = _I16.unpack_from(self.data, self.pos)
        self.pos += 2
        return int(value)

    def i32(self) -> int:
        (value,) = _I32.unpack_from(self.data, self.pos)
        self.pos += 4
        return int(value)

    def u32(self) -> int:
        (value,) = _U32.unpack_from(self.data, self.pos)
        self.pos += 4
        return int(value)

    def i64(self) -> int:
        (value,) = _I64.unpack_from(self.data, self.pos)
        self.pos += 8
        return int(value)

    def cstring(self) -> str:
        end = self.data.index(b"\x00", self.pos)
        value = self.data[self.pos : end].decode()
        self.pos = end + 1
        return value

    def tuple_data(self) -> tuple[object, ...]:
        count = self.i16()
        values: list[object] = []
        for _ in range(count):
            kind = self.byte()
            if kind == 0x6E:  # 'n'
                values.append(None)
            elif kind == 0x75:  # 'u'
                values.append(UNCHANGED)
            elif kind == 0x74:  # 't'
                length = self.i32()
                values.append(self.data[self.pos : self.pos + length].decode())
                self.pos += length
            else:
                raise DecodeError(f"unsupported tuple column kind {kind!r}")
        return tuple(values)


def pg_time(microseconds: int) -> datetime:
    return PG_EPOCH + timedelta(microseconds=microseconds)


class Decoder:
    """Stateful over one replication session (relations are announced once per session).

    `wanted(relation)` (default: all) lets the caller skip the tuples of tables nobody listens to:
    their rows are not parsed at all, which keeps unrelated write traffic cheap to follow.
    """

    def __init__(self, wanted: Callable[[Relation], bool] | None = None) -> None:
        self.relations: dict[int, Relation] = {}
        self.wanted = wanted
        self._txn: _Txn | None = None

    def reset(self) -> None:
        self.relations.clear()
        self._txn = None

    def feed(self, rows: list[tuple[int, bytes]]) -> list[RowChange]:
        """Decode `(lsn, data)` rows; return the row changes of every transaction that committed."""
        out: list[RowChange] = []
        wanted: dict[int, bool] = {}  # per call: subscriptions do not change in between
        for lsn, data in rows:
            self._message(lsn, data, out, wanted)
        return out

    def _message(self, lsn: int, data: bytes, out: list[RowChange], wanted: dict[int, bool]) -> None:
        tag = chr(data[0])
        if tag in "IUD":
            (oid,) = _U32.unpack_from(data, 1)
            keep = wanted.get(oid)
            if keep is None:
                keep = wanted[oid] = self.wanted is None or self.wanted(self._lookup(oid))
            if keep:
                reader = _Reader(data)
                reader.pos = 5
                self._row(tag, self._lookup(oid), reader)
        elif tag == "B":
            (xid,) = _U32.unpack_from(data, 17)  # after the final LSN and the commit time
            self._txn = _Txn(xid)
        elif tag == "C":
            txn, self._txn = self._txn, None
            if txn is not None and txn.changes:
                (micros,) = _I64.unpack_from(data, 18)  # after flags, commit LSN and end LSN
                commit_time = pg_time(micros)
                for relation, kind, new, old, key_only in txn.changes:
                    out.append(RowChange(relation, kind, new, old, key_only, commit_time, lsn, txn.xid))
        elif tag == "R":
            self._relation(_Reader(data, 1))
        elif tag in "YOTM":
            return  # types, origins, truncates and logical messages are not streamed
        else:
            raise DecodeError(f"unknown pgoutput message {tag!r}")

    def _row(self, tag: str, relation: Relation, reader: _Reader) -> None:
        if tag == "I":
            if chr(reader.byte()) != "N":
                raise DecodeError("insert without new tuple")
            self._add(relation, "INSERT", reader.tuple_data(), None, False)
        elif tag == "U":
            self._update(relation, reader)
        else:
            marker = chr(reader.byte())
            self._add(relation, "DELETE", None, reader.tuple_data(), marker == "K")

    def _relation(self, reader: _Reader) -> None:
        oid = reader.u32()
        schema = reader.cstring()
        name = reader.cstring()
        identity = chr(reader.byte())
        columns = []
        for _ in range(reader.i16()):
            flags = reader.byte()
            col_name = reader.cstring()
            type_oid = reader.u32()
            reader.i32()  # typmod
            columns.append(Column(col_name, type_oid, bool(flags & 1)))
        self.relations[oid] = Relation(oid, schema, name, identity, tuple(columns))

    def _update(self, relation: Relation, reader: _Reader) -> None:
        marker = chr(reader.byte())
        old: tuple[object, ...] | None = None
        key_only = False
        if marker in "KO":
            key_only = marker == "K"
            old = reader.tuple_data()
            marker = chr(reader.byte())
        if marker != "N":
            raise DecodeError("update without new tuple")
        self._add(relation, "UPDATE", reader.tuple_data(), old, key_only)

    def _lookup(self, oid: int) -> Relation:
        relation = self.relations.get(oid)
        if relation is None:
            raise DecodeError(f"change for unknown relation {oid}")
        return relation

    def _add(
        self,
        relation: Relation,
        kind: str,
        new: tuple[object, ...] | None,
        old: tuple[object, ...] | None,
        key_only: bool,
    ) -> None:
        if self._txn is None:
            self._txn = _Txn()
        self._txn.changes.append((relation, kind, new, old, key_only))
