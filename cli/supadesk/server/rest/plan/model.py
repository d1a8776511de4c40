"""Plan values. Columns and tables here come from the schema cache, never from the request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from supadesk.server.rest.schema.model import Argument, Column, Relationship, Routine, Table
from supadesk.server.rest.syntax import Direction, JoinType, JsonStep, Nulls, Operation

Resolution = Literal["merge", "ignore"]


@dataclass(frozen=True)
class PlannedField:
    column: Column
    json_path: tuple[JsonStep, ...]
    cast: str | None  # type SQL from the schema cache
    output: str


@dataclass(frozen=True)
class PlannedStar:
    pass


@dataclass(frozen=True)
class PlannedFilter:
    column: Column
    json_path: tuple[JsonStep, ...]
    operation: Operation

    @property
    def value_type(self) -> str:
        """The type the right-hand side is cast to: the left-hand side's type."""
        if not self.json_path:
            return self.column.type_sql
        return "text" if self.json_path[-1].arrow == "->>" else self.column.type_sql


@dataclass(frozen=True)
class PlannedLogic:
    conjunction: Literal["and", "or"]
    children: tuple[PlannedCondition, ...]
    negated: bool


PlannedCondition = PlannedFilter | PlannedLogic


@dataclass(frozen=True)
class PlannedOrder:
    column: Column
    json_path: tuple[JsonStep, ...]
    direction: Direction | None
    nulls: Nulls | None


@dataclass
class ReadNode:
    """One level of the select tree: a table (or function result) and what to take from it."""

    table: Table
    alias: str
    items: list[PlannedField | PlannedStar | PlannedEmbed] = field(default_factory=list)
    conditions: list[PlannedCondition] = field(default_factory=list)
    order: list[PlannedOrder] = field(default_factory=list)
    limit: int | None = None
    offset: int | None = None

    @property
    def embeds(self) -> list[PlannedEmbed]:
        return [item for item in self.items if isinstance(item, PlannedEmbed)]


@dataclass
class PlannedEmbed:
    relationship: Relationship
    join: JoinType
    node: ReadNode
    output: str
    lateral_alias: str


@dataclass
class MutatePlan:
    kind: Literal["insert", "update", "delete"]
    table: Table
    columns: tuple[Column, ...] = ()
    on_conflict: tuple[Column, ...] = ()
    resolution: Resolution | None = None
    defaults_for: frozenset[str] = frozenset()  # insert: columns some rows omit (missing=default)
    where: ReadNode | None = None  # update/delete: the root node's conditions (and order/limit)
    returning: ReadNode | None = None  # None: return=minimal


@dataclass
class CallPlan:
    routine: Routine
    arguments: tuple[Argument, ...]
    read: ReadNode | None  # composite results: the select tree over the function's rows
