"""Per-subscriber RLS, batched: which (claims group, row) pairs may each subscriber SELECT?

One dedicated connection holds, per published table, a temporary plpgsql function that loops over
the distinct (role, claims) groups of the subscribers, sets role and claims transaction-locally
(as `server.db.apply_scope` does for requests) and selects the batch's rows by primary key with a
statement whose plan PostgreSQL caches (re-planned only when the role changes, so groups are
sorted by role). One call answers a whole batch of changes for all subscribers of a table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import asyncpg

from supadesk.server.realtime.catalog import TableInfo
from supadesk.server.realtime.serializer import dumps

log = logging.getLogger("supadesk.realtime.visibility")


@dataclass(frozen=True)
class ClaimsGroup:
    role: str
    claims_json: str
    sub: str


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def function_name(table: TableInfo) -> str:
    return f"pg_temp.supadesk_rt_visible_{table.oid}"


def function_sql(table: TableInfo) -> str:
    """The temporary function for one table (identifiers quoted; values always bound)."""
    qualified = f"{quote_ident(table.schema)}.{quote_ident(table.name)}"
    match = " and ".join(f"t.{quote_ident(k)} = r.{quote_ident(k)}" for k in table.key)
    return f"""
create or replace function {function_name(table)}(roles text[], claims text[], subs text[], keys jsonb)
returns table (g int, k int)
language plpgsql
as $fn$
declare
  i int;
  current_role_name text := '';
begin
  for i in 1 .. coalesce(array_length(roles, 1), 0) loop
    if roles[i] <> current_role_name then
      -- re-setting the role (even to the same value) discards cached plans: only on change
      perform set_config('role', roles[i], true);
      current_role_name := roles[i];
    end if;
    perform set_config('request.jwt.claims', claims[i], true),
            set_config('request.jwt.claim.sub', subs[i], true),
            set_config('request.jwt.claim.role', roles[i], true);
    return query
      select i, r.ordinality::int
      from jsonb_populate_recordset(null::{qualified}, keys) with ordinality as r
      where exists (select 1 from {qualified} as t where {match});
  end loop;
end;
$fn$
"""


def connection_lost(exc: BaseException) -> bool:
    """True for errors that mean the database connection is gone (server restart, network)."""
    if isinstance(exc, OSError | TimeoutError | asyncpg.InterfaceError | asyncpg.InternalClientError):
        return True
    return isinstance(exc, asyncpg.PostgresError) and str(exc.sqlstate or "")[:2] in ("08", "57")


class VisibilityChecker:
    """Owns the dispatcher's dedicated connection: RLS checks plus the catalog look-ups of a batch.

    Only the capture loop uses it (one batch at a time), so it needs no lock; it reconnects on the
    next use after the connection was lost.
    """

    def __init__(self, db_url: str, timeout_s: float = 5.0) -> None:
        self.db_url = db_url
        self.timeout_s = timeout_s
        self._conn: asyncpg.Connection | None = None
        self._installed: set[int] = set()

    def reset(self) -> None:
        """Forget the connection (after it failed); the next call opens a new one."""
        conn, self._conn = self._conn, None
        self._installed.clear()
        if conn is not None:
            conn.terminate()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        self._installed.clear()
        if conn is not None:
            try:
                await conn.close(timeout=2)
            except (OSError, asyncpg.PostgresError, TimeoutError):
                conn.terminate()

    async def connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            self._installed.clear()
            self._conn = await asyncpg.connect(
                self.db_url,
                timeout=self.timeout_s,
                server_settings={"application_name": "supadesk_realtime_rls"},
            )
        return self._conn

    async def visible(
        self, table: TableInfo, keys: list[dict[str, Any]], groups: list[ClaimsGroup]
    ) -> set[tuple[int, int]]:
        """Pairs (group index, key index), 0-based, of rows each group may SELECT."""
        if not keys or not groups or not table.key:
            return set()
        try:
            return await self._query(table, keys, groups)
        except asyncpg.PostgresError as exc:
            if connection_lost(exc):
                raise
            # One group's claims made a policy fail (or the schema changed): evaluate groups
            # one by one so a bad token cannot hide rows from everybody else.
            log.warning("batched RLS check on %s failed (%s); checking groups one by one", table.name, exc)
            self._installed.discard(table.oid)
            result: set[tuple[int, int]] = set()
            for index, group in enumerate(groups):
                try:
                    for _, key_index in await self._query(table, keys, [group]):
                        result.add((index, key_index))
                except asyncpg.PostgresError as single:
                    if connection_lost(single):
                        raise
                    log.warning("RLS check failed for role %s: %s", group.role, single)
            return result

    async def _query(
        self, table: TableInfo, keys: list[dict[str, Any]], groups: list[ClaimsGroup]
    ) -> set[tuple[int, int]]:
        conn = await self.connection()
        if table.oid not in self._installed:
            await conn.execute(function_sql(table), timeout=self.timeout_s)
            self._installed.add(table.oid)
        rows = await conn.fetch(
            f"select g, k from {function_name(table)}($1, $2, $3, $4::jsonb)",
            [g.role for g in groups],
            [g.claims_json for g in groups],
            [g.sub for g in groups],
            dumps(keys),
            timeout=self.timeout_s,
        )
        return {(row["g"] - 1, row["k"] - 1) for row in rows}
