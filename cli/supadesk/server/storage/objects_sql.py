"""SQL on storage.objects. `as_caller` functions run under the caller's role and claims (RLS
decides); `as_service` functions run on a plain pooled connection (the server's own database
role) for the steps Storage itself performs after the caller was authorised."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from supadesk.server.context import RequestContext
from supadesk.server.db import apply_scope, scoped_transaction
from supadesk.server.storage import errors

OBJECT_COLUMNS = (
    "id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at"
)
_INSERT = """
insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)
"""
_UPSERT = (
    _INSERT
    + """
on conflict (bucket_id, name) do update set
    owner = excluded.owner, owner_id = excluded.owner_id, version = excluded.version,
    metadata = excluded.metadata, user_metadata = excluded.user_metadata,
    updated_at = now(), last_accessed_at = now()
"""
)


@dataclass(frozen=True)
class NewObject:
    bucket_id: str
    name: str
    owner_id: str | None
    version: str
    metadata: dict[str, Any]
    user_metadata: dict[str, Any] | None

    def args(self) -> tuple[Any, ...]:
        owner = uuid_or_none(self.owner_id)
        user_metadata = json.dumps(self.user_metadata) if self.user_metadata is not None else None
        return (self.bucket_id, self.name, owner, self.owner_id, self.version, json.dumps(self.metadata), user_metadata)


def uuid_or_none(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


async def check_can_write(pool: asyncpg.Pool, ctx: RequestContext, obj: NewObject, *, upsert: bool) -> None:
    """Storage's `testPermission`: try the write as the caller, always roll back."""
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            await apply_scope(conn, ctx)
            await conn.execute(_UPSERT if upsert else _INSERT, *obj.args())
        except asyncpg.PostgresError as exc:
            raise errors.from_database(exc) from exc
        finally:
            await tx.rollback()


async def find(
    pool: asyncpg.Pool, ctx: RequestContext | None, bucket_id: str, name: str, columns: str = OBJECT_COLUMNS
) -> asyncpg.Record | None:
    """The object's row as `ctx` sees it (RLS), or as the service when ctx is None."""
    sql = f"select {columns} from storage.objects where bucket_id = $1 and name = $2"
    try:
        if ctx is None:
            return await pool.fetchrow(sql, bucket_id, name)
        async with scoped_transaction(pool, ctx, readonly=True) as conn:
            return await conn.fetchrow(sql, bucket_id, name)
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc


async def visible_names(pool: asyncpg.Pool, ctx: RequestContext, bucket_id: str, names: list[str]) -> set[str]:
    sql = "select name from storage.objects where bucket_id = $1 and name = any($2::text[])"
    try:
        async with scoped_transaction(pool, ctx, readonly=True) as conn:
            return {row["name"] for row in await conn.fetch(sql, bucket_id, names)}
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc


async def delete_as_caller(
    pool: asyncpg.Pool, ctx: RequestContext, bucket_id: str, names: list[str]
) -> list[asyncpg.Record]:
    """Delete what the caller may delete (RLS); returns the deleted rows."""
    sql = f"delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning {OBJECT_COLUMNS}"
    try:
        async with scoped_transaction(pool, ctx) as conn:
            return list(await conn.fetch(sql, bucket_id, names))
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc


async def list_folder(
    pool: asyncpg.Pool,
    ctx: RequestContext,
    bucket_id: str,
    prefix: str,
    search: str,
    limit: int,
    offset: int,
    sort_column: str,
    descending: bool,
) -> list[asyncpg.Record]:
    """One folder level, like `storage.search`: files with their rows, sub-folders with null ids."""
    order = {
        "name": "name",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "last_accessed_at": "last_accessed_at",
    }
    column = order.get(sort_column, "name")
    direction = "desc" if descending else "asc"
    sql = f"""
with matched as (
    select o.*, substr(o.name, char_length($2) + 1) as rest
    from storage.objects as o
    where o.bucket_id = $1 and left(o.name, char_length($2)) = $2
), entries as (
    select split_part(rest, '/', 1) as name, null::uuid as id, null::timestamptz as updated_at,
           null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
    from matched where position('/' in rest) > 0
    group by split_part(rest, '/', 1)
    union all
    select rest, id, updated_at, created_at, last_accessed_at, metadata
    from matched where position('/' in rest) = 0
)
select * from entries
where $3 = '' or left(lower(name), char_length($3)) = lower($3)
order by {column} {direction} nulls last, name {direction}
limit $4 offset $5
"""
    try:
        async with scoped_transaction(pool, ctx, readonly=True) as conn:
            return list(await conn.fetch(sql, bucket_id, prefix, search, limit, offset))
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc


@dataclass(frozen=True)
class Saved:
    id: str
    replaced_version: str | None


async def save(pool: asyncpg.Pool, obj: NewObject, *, upsert: bool, commit_file: Any) -> Saved:
    """Write the row (as the service, after the caller was authorised) and, in the same
    transaction, move the file into place via `commit_file()`; the file is in place iff the row is."""
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                current = await conn.fetchrow(
                    "select id, version from storage.objects where bucket_id = $1 and name = $2 for update",
                    obj.bucket_id,
                    obj.name,
                )
                if current is not None and not upsert:
                    raise errors.duplicate()
                row = await conn.fetchrow((_UPSERT if upsert else _INSERT) + " returning id", *obj.args())
                assert row is not None
                commit_file()
        except asyncpg.PostgresError as exc:
            raise errors.from_database(exc) from exc
    replaced = current["version"] if current is not None and current["version"] != obj.version else None
    return Saved(str(row["id"]), replaced)


async def rename(
    pool: asyncpg.Pool, ctx: RequestContext, bucket_id: str, source: str, target_bucket: str, target: str
) -> asyncpg.Record | None:
    """Move as the caller: RLS must let them update the row, and see/insert it under its new name."""
    sql = (
        "update storage.objects set bucket_id = $3, name = $4, updated_at = now()"
        " where bucket_id = $1 and name = $2 returning id"
    )
    try:
        async with scoped_transaction(pool, ctx) as conn:
            return await conn.fetchrow(sql, bucket_id, source, target_bucket, target)
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc
