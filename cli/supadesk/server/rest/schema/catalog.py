"""Catalog queries that build the schema cache (run once at startup and on `NOTIFY pgrst`).

They run with `search_path = ''` so `format_type` qualifies every type outside pg_catalog: the
type names stored in the cache are then safe to splice into casts.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from supadesk.server.rest.schema.model import (
    Argument,
    Column,
    ReturnKind,
    Routine,
    SchemaCache,
    Table,
    Volatility,
)
from supadesk.server.rest.schema.relationships import build_relationships

_TABLES = """
select c.relname as name, c.relkind in ('v', 'm') as is_view,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid, false) & 8) = 8) as insertable
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition
"""

_COLUMNS = """
select c.relname as table_name, a.attname as name, pg_catalog.format_type(a.atttypid, null) as type_sql,
  not a.attnotnull as nullable, pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_sql,
  (a.attidentity = 'a' or a.attgenerated <> '') as generated,
  a.atttypid in ('pg_catalog.json'::pg_catalog.regtype, 'pg_catalog.jsonb'::pg_catalog.regtype) as is_json
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = $1 and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'v', 'm', 'f', 'p')
order by c.relname, a.attnum
"""

_KEY_COLUMNS = """
array(select a.attname from pg_catalog.unnest({keys}) with ordinality k(attnum, ord)
      join pg_catalog.pg_attribute a on a.attrelid = {rel} and a.attnum = k.attnum order by k.ord)
"""

_KEYS = f"""
select c.relname as table_name, con.contype::text as kind,
  {_KEY_COLUMNS.format(keys="con.conkey", rel="con.conrelid")} as columns
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and con.contype in ('p', 'u')
order by con.contype, con.conname
"""

_FOREIGN_KEYS = f"""
select con.conname as name, c.relname as table_name, fc.relname as target,
  {_KEY_COLUMNS.format(keys="con.conkey", rel="con.conrelid")} as columns,
  {_KEY_COLUMNS.format(keys="con.confkey", rel="con.confrelid")} as target_columns
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_class fc on fc.oid = con.confrelid
join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
where con.contype = 'f' and n.nspname = $1 and fn.nspname = $1
order by con.conname
"""

_FUNCTIONS = """
select p.proname as name, p.proretset as returns_set, p.provolatile::text as volatility,
  p.prorettype = 'pg_catalog.void'::pg_catalog.regtype as is_void,
  t.typtype::text as ret_typtype, rc.relname as ret_table, rn.nspname as ret_table_schema,
  pg_catalog.format_type(p.prorettype, null) as ret_type_sql,
  array(select pg_catalog.format_type(x, null)
        from pg_catalog.unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(x, o)
        order by o) as arg_types,
  coalesce(p.proargmodes::text[], '{}') as arg_modes, coalesce(p.proargnames, '{}') as arg_names,
  p.pronargs as nargs, p.pronargdefaults as ndefaults
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_type t on t.oid = p.prorettype
left join pg_catalog.pg_class rc on rc.oid = t.typrelid
left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = $1 and p.prokind = 'f'
  and p.prorettype not in ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype)
order by p.proname, p.oid
"""

_COMPOSITE_COLUMNS = """
select c.relname as table_name, a.attname as name, pg_catalog.format_type(a.atttypid, null) as type_sql
from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = any($2::text[]) and a.attnum > 0 and not a.attisdropped
order by a.attnum
"""

_TYPES = """
select t.typname as name, pg_catalog.format_type(t.oid, null) as type_sql
from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
where (n.nspname = 'pg_catalog' or n.nspname = $1) and t.typtype in ('b', 'd', 'e', 'r', 'm', 'c')
  and t.typname !~ '^(_|pg_)' and t.typisdefined
"""

Connection = asyncpg.Connection | PoolConnectionProxy
TYPE_ALIASES = {"int": "integer", "float": "double precision", "decimal": "numeric", "bool": "boolean"}


async def load_schema_cache(conn: Connection, schema: str, version: int = 0) -> SchemaCache:
    async with conn.transaction(readonly=True):
        await conn.execute("set local search_path = ''")
        tables = await _load_tables(conn, schema)
        fks = await conn.fetch(_FOREIGN_KEYS, schema)
        routines = await _load_routines(conn, schema, tables)
        types = {row["name"]: row["type_sql"] for row in await conn.fetch(_TYPES, schema)}
    types.update({row: row for row in types.values()})
    types.update({alias: target for alias, target in TYPE_ALIASES.items()})
    return SchemaCache(schema, tables, build_relationships(tables, [dict(r) for r in fks]), routines, types, version)


async def _load_tables(conn: Connection, schema: str) -> dict[str, Table]:
    columns: dict[str, dict[str, Column]] = {}
    for row in await conn.fetch(_COLUMNS, schema):
        columns.setdefault(row["table_name"], {})[row["name"]] = Column(
            row["name"], row["type_sql"], row["nullable"], row["default_sql"], row["generated"], row["is_json"]
        )
    primary: dict[str, tuple[str, ...]] = {}
    uniques: dict[str, list[tuple[str, ...]]] = {}
    for row in await conn.fetch(_KEYS, schema):
        cols = tuple(row["columns"])
        if row["kind"] == "p":
            primary[row["table_name"]] = cols
        uniques.setdefault(row["table_name"], []).append(cols)
    return {
        row["name"]: Table(
            schema,
            row["name"],
            columns.get(row["name"], {}),
            primary.get(row["name"], ()),
            tuple(uniques.get(row["name"], [])),
            row["is_view"],
            row["insertable"],
        )
        for row in await conn.fetch(_TABLES, schema)
    }


async def _load_routines(conn: Connection, schema: str, tables: dict[str, Table]) -> dict[str, list[Routine]]:
    rows = [dict(record) for record in await conn.fetch(_FUNCTIONS, schema)]
    foreign = sorted(
        {
            r["ret_table"]
            for r in rows
            if r["ret_table"] and r["ret_table_schema"] == schema and r["ret_table"] not in tables
        }
    )
    composite: dict[str, dict[str, Column]] = {}
    for record in await conn.fetch(_COMPOSITE_COLUMNS, schema, foreign):
        composite.setdefault(record["table_name"], {})[record["name"]] = Column(record["name"], record["type_sql"])
    routines: dict[str, list[Routine]] = {}
    for row in rows:
        routine = _routine(schema, row, tables, composite)
        if routine is not None:
            routines.setdefault(routine.name, []).append(routine)
    return routines


def _routine(
    schema: str, row: dict[str, Any], tables: dict[str, Table], composite: dict[str, dict[str, Column]]
) -> Routine | None:
    types: list[str] = row["arg_types"]
    modes: list[str] = row["arg_modes"] or ["i"] * len(types)
    names: list[str] = row["arg_names"] or [""] * len(types)
    inputs = [(names[i], types[i]) for i in range(len(types)) if modes[i] in ("i", "b", "v")]
    outputs = {names[i]: Column(names[i], types[i]) for i in range(len(types)) if modes[i] in ("o", "b", "t")}
    required = row["nargs"] - row["ndefaults"]
    arguments = tuple(Argument(name, type_sql, i < required) for i, (name, type_sql) in enumerate(inputs))
    volatility: Volatility = (
        "immutable" if row["volatility"] == "i" else ("stable" if row["volatility"] == "s" else "volatile")
    )
    single_json = len(inputs) == 1 and not inputs[0][0] and inputs[0][1] in ("json", "jsonb")
    if any(not a.name for a in arguments) and not single_json:
        return None  # unnamed arguments cannot be called with named JSON keys
    result_table: str | None = None
    kind: ReturnKind
    columns: dict[str, Column]
    if row["is_void"]:
        kind, columns = "void", {}
    elif outputs:
        kind, columns = "composite", outputs
    elif row["ret_typtype"] == "c" and row["ret_table"]:
        kind = "composite"
        if row["ret_table_schema"] == schema and row["ret_table"] in tables:
            result_table = row["ret_table"]
            columns = dict(tables[row["ret_table"]].columns)
        else:
            columns = composite.get(row["ret_table"], {})
    elif row["ret_typtype"] == "p":
        return None  # record / anyelement without OUT parameters: no known shape
    else:
        kind, columns = "scalar", {}
    return Routine(
        schema, row["name"], arguments, row["returns_set"], volatility, kind, result_table, columns, single_json,
        row["ret_type_sql"],
    )
