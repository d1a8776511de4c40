"""What the database says about the published tables: columns, types, keys, RLS and privileges.

Read from the catalog (publication `supabase_realtime`), so migrations stay exactly as on Supabase.
Column SELECT privileges are looked up per role and cached; the cache is refreshed when a
subscription names an unknown table or a Relation message announces a schema change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from supadesk.server.realtime.values import Converter, converter

Conn = asyncpg.Connection | PoolConnectionProxy
PUBLICATION = "supabase_realtime"
_PRIVILEGE_TTL_S = 30.0

_TABLES_SQL = """
select c.oid, n.nspname, c.relname, c.relrowsecurity,
       array_agg(a.attname order by a.attnum) as names,
       array_agg(t.typname::text order by a.attnum) as types,
       array_agg(coalesce(a.attnum = any(i.indkey), false) order by a.attnum) as keys
from pg_publication_tables p
join pg_namespace n on n.nspname = p.schemaname
join pg_class c on c.relnamespace = n.oid and c.relname = p.tablename
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
join pg_type t on t.oid = a.atttypid
left join pg_index i on i.indrelid = c.oid and i.indisprimary
where p.pubname = $1
group by c.oid, n.nspname, c.relname, c.relrowsecurity
"""

_PRIVILEGES_SQL = """
select a.attname, has_column_privilege($1::name, $2::oid, a.attname, 'SELECT') as allowed
from pg_attribute a where a.attrelid = $2 and a.attnum > 0 and not a.attisdropped
order by a.attnum
"""

_ROLE_SQL = "select rolsuper or rolbypassrls from pg_roles where rolname = $1"


@dataclass(frozen=True)
class TableInfo:
    oid: int
    schema: str
    name: str
    rls: bool
    columns: tuple[str, ...]
    types: tuple[str, ...]
    key: tuple[str, ...]
    converters: tuple[Converter, ...]

    def type_of(self, column: str) -> str | None:
        try:
            return self.types[self.columns.index(column)]
        except ValueError:
            return None


class Catalog:
    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], TableInfo] = {}
        self._privileges: dict[tuple[str, int], tuple[float, frozenset[str]]] = {}
        self._bypass: dict[str, bool] = {}

    async def refresh(self, conn: Conn) -> None:
        tables: dict[tuple[str, str], TableInfo] = {}
        for row in await conn.fetch(_TABLES_SQL, PUBLICATION):
            names = tuple(row["names"])
            types = tuple(row["types"])
            key = tuple(n for n, k in zip(names, row["keys"], strict=True) if k)
            tables[(row["nspname"], row["relname"])] = TableInfo(
                row["oid"],
                row["nspname"],
                row["relname"],
                row["relrowsecurity"],
                names,
                types,
                key,
                tuple(converter(t) for t in types),
            )
        self.tables = tables
        self._privileges.clear()

    def table(self, schema: str, name: str) -> TableInfo | None:
        return self.tables.get((schema, name))

    def tables_in(self, schema: str) -> list[TableInfo]:
        return [t for (s, _), t in self.tables.items() if schema in ("*", s)]

    async def selectable(self, conn: Conn, role: str, table: TableInfo) -> frozenset[str]:
        """The columns `role` may SELECT (column privileges respected)."""
        key = (role, table.oid)
        cached = self._privileges.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            rows = await conn.fetch(_PRIVILEGES_SQL, role, table.oid)
            allowed = frozenset(r["attname"] for r in rows if r["allowed"])
        except asyncpg.UndefinedObjectError:
            allowed = frozenset()
        self._privileges[key] = (now + _PRIVILEGE_TTL_S, allowed)
        return allowed

    async def bypasses_rls(self, conn: Conn, role: str) -> bool:
        if role not in self._bypass:
            self._bypass[role] = bool(await conn.fetchval(_ROLE_SQL, role))
        return self._bypass[role]

    def selectable_cached(self, role: str, table: TableInfo) -> frozenset[str] | None:
        cached = self._privileges.get((role, table.oid))
        if cached is None or cached[0] <= time.monotonic():
            return None
        return cached[1]

    def bypass_cached(self, role: str) -> bool:
        return self._bypass.get(role, False)
