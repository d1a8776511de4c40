"""Per-subscriber RLS, batched: which (claims group, row) pairs may each subscriber SELECT?

One dedicated connection holds, per published table, a temporary plpgsql function that loops over
the distinct (role, claims) groups of the subscribers, sets role and claims transaction-locally
(as `server.db.apply_scope` does for requests) and selects the batch's rows by primary key with a
statement whose plan PostgreSQL caches (re-planned only when the role changes, so groups are
sorted by role). One call answers a whole batch of changes for all subscribers of a table.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import asyncpg

from supadesk.server.realtime.catalog import TableInfo
from supadesk.server.realtime.serializer import dumps

log = logging.getLogger("supadesk.realtime.visibility")

_SNAPSHOT_SQL = """
select pg_snapshot_xmax(s)::text::bigint as xmax, array(select pg_snapshot_xip(s)::text::bigint) as xip
from pg_current_snapshot() as s
"""
_ONE_BY_ONE = 4  # batches of at most this many rows are checked row by row
_MIN_GROUPS_PER_PART = 32  # below this a second round trip costs more than it saves


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
    """The temporary function for one table (identifiers quoted; values always bound).

    A few keys are checked one by one with PERFORM (a cached plan, no result set: about three
    times cheaper per group for the one-row batches of a quiet system); more at once with one
    set-returning query per group.
    """
    qualified = f"{quote_ident(table.schema)}.{quote_ident(table.name)}"

    def match(index: str) -> str:
        return " and ".join(f"t.{quote_ident(c)} = (key_rows[{index}]).{quote_ident(c)}" for c in table.key)

    return f"""
create or replace function {function_name(table)}(roles text[], claims text[], subs text[], keys jsonb)
returns table (g int, k int)
language plpgsql
as $fn$
#variable_conflict use_variable
declare
  i int;
  o int;
  key_rows {qualified}[] := array(select r from jsonb_populate_recordset(null::{qualified}, keys) as r);
  n int := coalesce(array_length(key_rows, 1), 0);
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
    if n <= {_ONE_BY_ONE} then
      for o in 1 .. n loop
        perform from {qualified} as t where {match("o")};
        if found then
          g := i;
          k := o;
          return next;
        end if;
      end loop;
    else
      return query
        select i, s from generate_subscripts(key_rows, 1) as s
        where exists (select 1 from {qualified} as t where {match("s")});
    end if;
  end loop;
end;
$fn$
"""


def _full_xid(xid: int, xmax: int) -> int:
    """The 64-bit id of a 32-bit xid seen in the WAL (it is below `xmax`'s epoch end)."""
    full = ((xmax >> 32) << 32) | xid
    return full - (1 << 32) if full > xmax + (1 << 31) else full


def connection_lost(exc: BaseException) -> bool:
    """True for errors that mean the database connection is gone (server restart, network)."""
    if isinstance(exc, OSError | TimeoutError | asyncpg.InterfaceError | asyncpg.InternalClientError):
        return True
    return isinstance(exc, asyncpg.PostgresError) and str(exc.sqlstate or "")[:2] in ("08", "57")


class _Session:
    """One dedicated connection and the temporary functions installed on it."""

    def __init__(self) -> None:
        self.conn: asyncpg.Connection | None = None
        self.installed: set[int] = set()

    def reset(self) -> None:
        conn, self.conn = self.conn, None
        self.installed.clear()
        if conn is not None:
            conn.terminate()


class VisibilityChecker:
    """Owns the dispatcher's dedicated connections: RLS checks plus the catalog look-ups of a batch.

    Only the capture loop uses them (one batch at a time), so they need no lock; a connection
    that was lost is reopened on its next use. With `parallel` > 1, a batch with many claims
    groups is split across that many connections and checked concurrently (PostgreSQL runs each
    on its own backend, so a second core shortens the check).
    """

    def __init__(self, db_url: str, timeout_s: float = 5.0, parallel: int = 2) -> None:
        self.db_url = db_url
        self.timeout_s = timeout_s
        self._sessions = [_Session() for _ in range(max(1, parallel))]

    def reset(self) -> None:
        """Forget the connections (after a failure); the next calls open new ones."""
        for session in self._sessions:
            session.reset()

    async def close(self) -> None:
        for session in self._sessions:
            conn, session.conn = session.conn, None
            session.installed.clear()
            if conn is not None:
                try:
                    await conn.close(timeout=2)
                except (OSError, asyncpg.PostgresError, TimeoutError):
                    conn.terminate()

    async def connection(self) -> asyncpg.Connection:
        return await self._open(self._sessions[0])

    async def _open(self, session: _Session) -> asyncpg.Connection:
        if session.conn is None or session.conn.is_closed():
            session.installed.clear()
            session.conn = await asyncpg.connect(
                self.db_url,
                timeout=self.timeout_s,
                server_settings={"application_name": "supadesk_realtime_rls"},
            )
        return session.conn

    async def wait_committed(self, xids: set[int], limit_s: float) -> bool:
        """Wait until these transactions are visible to new snapshots.

        PostgreSQL streams a transaction once its commit record is flushed, which is a moment
        before the transaction leaves the list of running ones: an RLS check done in that moment
        would not see the new row and would wrongly hide it. False if still running at the end.
        """
        conn = await self.connection()
        deadline = time.monotonic() + limit_s
        while True:
            row = await conn.fetchrow(_SNAPSHOT_SQL, timeout=self.timeout_s)
            assert row is not None
            xmax, running = int(row["xmax"]), {int(x) & 0xFFFFFFFF for x in row["xip"]}
            if not any(x in running or _full_xid(x, xmax) >= xmax for x in xids):
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.001)

    async def visible(
        self, table: TableInfo, keys: list[dict[str, Any]], groups: list[ClaimsGroup]
    ) -> tuple[set[tuple[int, int]], set[int]]:
        """Pairs (group index, key index), 0-based, of rows each group may SELECT; and the
        indexes of the groups whose check failed (their subscribers must be told)."""
        if not keys or not groups or not table.key:
            return set(), set()
        try:
            return await self._split(table, keys, groups), set()
        except asyncpg.PostgresError as exc:
            if connection_lost(exc):
                raise
            # One group's claims made a policy fail (or the schema changed): evaluate groups
            # one by one so a bad token cannot hide rows from everybody else.
            log.warning("batched RLS check on %s failed (%s); checking groups one by one", table.name, exc)
            for session in self._sessions:
                session.installed.discard(table.oid)
            result: set[tuple[int, int]] = set()
            failed: set[int] = set()
            for index, group in enumerate(groups):
                try:
                    for _, key_index in await self._query(self._sessions[0], table, keys, [group]):
                        result.add((index, key_index))
                except asyncpg.PostgresError as single:
                    if connection_lost(single):
                        raise
                    log.warning("RLS check failed for role %s: %s", group.role, single)
                    failed.add(index)
            return result, failed

    async def _split(
        self, table: TableInfo, keys: list[dict[str, Any]], groups: list[ClaimsGroup]
    ) -> set[tuple[int, int]]:
        """Contiguous slices of `groups` (sorted by role: each slice re-plans at most per role)."""
        parts = min(len(self._sessions), max(1, len(groups) // _MIN_GROUPS_PER_PART))
        if parts == 1:
            return await self._query(self._sessions[0], table, keys, groups)
        size = -(-len(groups) // parts)
        slices = [(start, groups[start : start + size]) for start in range(0, len(groups), size)]
        sessions = self._sessions[: len(slices)]
        answers = await asyncio.gather(
            *(self._query(session, table, keys, part) for session, (_, part) in zip(sessions, slices, strict=True)),
            return_exceptions=True,  # every query has ended before an error is handled
        )
        visible: set[tuple[int, int]] = set()
        for (start, _), answer in zip(slices, answers, strict=True):
            if isinstance(answer, BaseException):
                raise answer
            visible.update((start + g, k) for g, k in answer)
        return visible

    async def _query(
        self, session: _Session, table: TableInfo, keys: list[dict[str, Any]], groups: list[ClaimsGroup]
    ) -> set[tuple[int, int]]:
        conn = await self._open(session)
        if table.oid not in session.installed:
            await conn.execute(function_sql(table), timeout=self.timeout_s)
            session.installed.add(table.oid)
        rows = await conn.fetch(
            f"select g, k from {function_name(table)}($1, $2, $3, $4::jsonb)",
            [g.role for g in groups],
            [g.claims_json for g in groups],
            [g.sub for g in groups],
            dumps(keys),
            timeout=self.timeout_s,
        )
        return {(row["g"] - 1, row["k"] - 1) for row in rows}
