"""The typed values the parse stage produces from a query string: select trees, filters, orders.

Nothing here knows the schema or SQL. A filter value is either a `Slot` (the request's own value,
bound at execution time so one parsed shape serves every value) or a constant parsed from the query
string (`Literal`, `ListValue`, ...), which the SQL stage binds as parameters as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

Arrow = TypingLiteral["->", "->>"]
JoinType = TypingLiteral["left", "inner"]
Direction = TypingLiteral["asc", "desc"]
Nulls = TypingLiteral["first", "last"]
EmbedPath = tuple[str, ...]


@dataclass(frozen=True)
class JsonStep:
    """One `->key` / `->>key` step; `index` when the key is an integer (array element)."""

    arrow: Arrow
    key: str
    index: int | None = None


@dataclass(frozen=True)
class FieldRef:
    """A column, optionally followed by a JSON path: `data->a->>b`."""

    name: str
    json_path: tuple[JsonStep, ...] = ()

    @property
    def default_output_name(self) -> str:
        """The JSON key PostgREST gives the field: the last JSON key, else the column name."""
        return self.json_path[-1].key if self.json_path else self.name


@dataclass(frozen=True)
class SelectField:
    field: FieldRef
    alias: str | None = None
    cast: str | None = None

    @property
    def output_name(self) -> str:
        return self.alias or self.field.default_output_name


@dataclass(frozen=True)
class SelectStar:
    pass


@dataclass(frozen=True)
class SelectEmbed:
    """`alias:name!hint!inner(children)`."""

    name: str
    children: tuple[SelectItem, ...]
    alias: str | None = None
    hint: str | None = None
    join: JoinType | None = None

    @property
    def output_name(self) -> str:
        return self.alias or self.name


SelectItem = SelectField | SelectStar | SelectEmbed


@dataclass(frozen=True)
class Slot:
    """The value of the request's n-th slotted filter (see querystring.shape_query)."""

    index: int


@dataclass(frozen=True)
class Literal:
    value: str


@dataclass(frozen=True)
class ListValue:
    items: tuple[str, ...]


@dataclass(frozen=True)
class FtsValue:
    query: str
    config: str | None = None


Value = Slot | Literal | ListValue | FtsValue


@dataclass(frozen=True)
class Operation:
    """`[not.]op.value`. `op` is the PostgREST operator name (eq, in, is, fts, like_any, ...)."""

    op: str
    value: Value
    negated: bool = False


@dataclass(frozen=True)
class Filter:
    field: FieldRef
    operation: Operation


@dataclass(frozen=True)
class LogicTree:
    """`or=(...)` / `and=(...)`, possibly negated, nested."""

    conjunction: TypingLiteral["and", "or"]
    children: tuple[Condition, ...]
    negated: bool = False


Condition = Filter | LogicTree


@dataclass(frozen=True)
class OrderTerm:
    field: FieldRef
    direction: Direction | None = None
    nulls: Nulls | None = None


@dataclass
class NodeModifiers:
    """Everything that applies to one node of the select tree (the root or an embed path)."""

    conditions: list[Condition] = field(default_factory=list)
    order: tuple[OrderTerm, ...] = ()
    limit: int | None = None
    offset: int | None = None


@dataclass
class QueryParams:
    """The parsed query string of a table or function request."""

    select: tuple[SelectItem, ...] = (SelectStar(),)
    modifiers: dict[EmbedPath, NodeModifiers] = field(default_factory=dict)
    columns: tuple[str, ...] | None = None
    on_conflict: tuple[str, ...] | None = None
    rpc_args: dict[str, str] = field(default_factory=dict)

    def node(self, path: EmbedPath) -> NodeModifiers:
        found = self.modifiers.get(path)
        if found is None:
            found = self.modifiers[path] = NodeModifiers()
        return found
