"""The bulk-load mechanics of the demo seed, all inside the caller's transaction:

- `bypass_triggers`: switch the helpdesk triggers off — `session_replication_role = replica` for a
  superuser (ordinary and foreign-key triggers off, until the transaction ends), else `alter table
  … disable trigger user` on tickets and messages when the caller owns them (other sessions then
  wait for the commit), else one sentence saying what is needed.
- `defer_indexes` / `restore_indexes`: for a large load into (nearly) empty tables, drop the
  indexes of tickets, messages and analytics, and the keys and unique constraints of messages and
  analytics (with the foreign keys that point at them), and build them again after the COPY —
  sorted builds instead of millions of random b-tree inserts. Definitions, names and comments are
  taken from the catalog and restored exactly; re-added foreign keys re-check their rows. The
  tables are locked until the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from supadesk.database.errors import DatabaseError

DEFER_FROM = 20_000  # tickets
DEFERRED_TABLES = ["public.tickets", "public.messages", "public.analytics"]
# Keys are deferred only where millions of rows arrive; the ticket keys stay, so the foreign keys of
# messages and analytics that point at tickets need not be re-checked row by row afterwards.
DEFERRED_KEYS = ["public.messages", "public.analytics"]

# With search_path '' the catalog prints every name schema-qualified, as the statements need.
_KEYS = """
select c.conrelid::regclass::text as tbl, quote_ident(c.conname) as name, c.contype::text as kind,
       pg_get_constraintdef(c.oid) as definition, obj_description(c.oid, 'pg_constraint') as comment
from pg_constraint as c
where (c.contype in ('p', 'u') and c.conrelid = any($1::regclass[]))
   or (c.contype = 'f' and c.confrelid = any($1::regclass[]))
order by c.contype, c.conname
"""
_INDEXES = """
select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition,
       obj_description(i.indexrelid, 'pg_class') as comment
from pg_index as i
where i.indrelid = any($1::regclass[])
  and not exists (select 1 from pg_constraint as k where k.conindid = i.indexrelid)
order by 1
"""


async def bypass_triggers(conn: asyncpg.Connection) -> str:
    """Switch the helpdesk triggers off for this transaction; say how."""
    try:
        async with conn.transaction():  # a savepoint: a refusal must not abort the load
            await conn.execute("set local session_replication_role = replica")
        return "triggers off: session_replication_role = replica"
    except asyncpg.InsufficientPrivilegeError:
        pass
    owns = await conn.fetchval(
        "select bool_and(pg_has_role(current_user, c.relowner, 'USAGE')) from pg_class as c"
        " where c.oid in ('public.tickets'::regclass, 'public.messages'::regclass)"
    )
    if not owns:
        raise DatabaseError(
            "the demo bulk load switches triggers off, which needs a superuser or the owner of public.tickets"
            " and public.messages; connect as such a role, or seed through the API with --api-url/--service-key"
        )
    await conn.execute(
        "alter table public.tickets disable trigger user; alter table public.messages disable trigger user"
    )
    return "triggers off: alter table … disable trigger user"


async def restore_triggers(conn: asyncpg.Connection, how: str) -> None:
    if how.endswith("disable trigger user"):
        await conn.execute(
            "alter table public.tickets enable trigger user; alter table public.messages enable trigger user"
        )


@dataclass
class Deferred:
    keys: list[asyncpg.Record] = field(default_factory=list)  # primary keys, unique constraints
    foreign_keys: list[asyncpg.Record] = field(default_factory=list)  # those pointing at the keys
    indexes: list[asyncpg.Record] = field(default_factory=list)


async def defer_indexes(conn: asyncpg.Connection, incoming_tickets: int) -> Deferred:
    """Drop what `restore_indexes` rebuilds — only for large loads into (nearly) empty tables."""
    deferred = Deferred()
    if incoming_tickets < DEFER_FROM:
        return deferred
    existing = await conn.fetchval(
        "select count(*) from (select 1 from public.tickets limit $1) as t", incoming_tickets // 2
    )
    if existing >= incoming_tickets // 2:
        return deferred
    search_path = await conn.fetchval("select current_setting('search_path')")
    await conn.execute("select set_config('search_path', '', true)")
    try:
        for row in await conn.fetch(_KEYS, DEFERRED_KEYS):
            (deferred.foreign_keys if row["kind"] == "f" else deferred.keys).append(row)
        deferred.indexes = await conn.fetch(_INDEXES, DEFERRED_TABLES)
    finally:
        await conn.execute("select set_config('search_path', $1, true)", search_path)
    for constraint in (*deferred.foreign_keys, *deferred.keys):
        await conn.execute(f"alter table {constraint['tbl']} drop constraint {constraint['name']}")
    for index in deferred.indexes:
        await conn.execute(f"drop index {index['name']}")
    return deferred


async def restore_indexes(conn: asyncpg.Connection, deferred: Deferred) -> None:
    if not (deferred.keys or deferred.indexes):
        return
    await conn.execute("set local maintenance_work_mem = '256MB'")
    for key in (*deferred.keys, *deferred.foreign_keys):  # keys first: the foreign keys need them
        await conn.execute(f"alter table {key['tbl']} add constraint {key['name']} {key['definition']}")
        await _comment(conn, f"constraint {key['name']} on {key['tbl']}", key["comment"])
    for index in deferred.indexes:
        await conn.execute(index["definition"])
        await _comment(conn, f"index {index['name']}", index["comment"])


async def _comment(conn: asyncpg.Connection, target: str, comment: str | None) -> None:
    if comment is not None:
        await conn.execute(
            await conn.fetchval("select format('comment on %s is %L', $1::text, $2::text)", target, comment)
        )
