"""Schema cache values: tables and views with their columns, relationships, functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Cardinality = Literal["m2o", "o2m", "o2o"]
Volatility = Literal["immutable", "stable", "volatile"]
ReturnKind = Literal["void", "scalar", "composite"]


@dataclass(frozen=True)
class Column:
    name: str
    type_sql: str  # a type name safe to use in a cast (from format_type / quote_ident, never a user)
    nullable: bool = True
    default_sql: str | None = None  # pg_get_expr of the default, from the catalog
    generated: bool = False  # identity always / generated stored: never written
    is_json: bool = False  # json or jsonb: `->` keeps this type


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: dict[str, Column]
    primary_key: tuple[str, ...] = ()
    unique_keys: tuple[tuple[str, ...], ...] = ()
    is_view: bool = False
    insertable: bool = True

    def column(self, name: str) -> Column | None:
        return self.columns.get(name)


@dataclass(frozen=True)
class Relationship:
    """A foreign key seen from `table`: m2o (table holds the FK), o2m (the inverse), o2o."""

    table: str
    target: str
    constraint: str
    columns: tuple[tuple[str, str], ...]  # (column of table, column of target)
    cardinality: Cardinality

    @property
    def to_one(self) -> bool:
        return self.cardinality != "o2m"


@dataclass(frozen=True)
class Argument:
    name: str
    type_sql: str
    required: bool


@dataclass(frozen=True)
class Routine:
    schema: str
    name: str
    arguments: tuple[Argument, ...]
    returns_set: bool
    volatility: Volatility
    return_kind: ReturnKind
    result_table: str | None = None  # a table of the schema cache the function returns rows of
    result_columns: dict[str, Column] = field(default_factory=dict)
    single_unnamed_json: bool = False
    return_type: str = "void"  # type SQL of a scalar result

    @property
    def scalar_set(self) -> bool:
        return self.returns_set and self.return_kind == "scalar"

    @property
    def read_only(self) -> bool:
        return self.volatility != "volatile"


@dataclass
class SchemaCache:
    schema: str
    tables: dict[str, Table]
    relationships: dict[str, list[Relationship]]  # by table name
    routines: dict[str, list[Routine]]
    types: dict[str, str] = field(default_factory=dict)  # `::cast` name → safe type SQL
    version: int = 0

    def relationships_of(self, table: str) -> list[Relationship]:
        return self.relationships.get(table, [])
