"""SQL on storage.buckets. Reads for upload/download checks run as the service (Storage looks
buckets up as superuser); the bucket API itself runs as the caller, so RLS on storage.buckets
decides (without policies, only the service role manages buckets — as on Supabase)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from supadesk.server.context import RequestContext
from supadesk.server.db import scoped_transaction
from supadesk.server.storage import errors
from supadesk.server.storage.objects_sql import uuid_or_none

COLUMNS = "id, name, owner, owner_id, public, type, file_size_limit, allowed_mime_types, created_at, updated_at"


@dataclass(frozen=True)
class Bucket:
    id: str
    public: bool
    file_size_limit: int | None
    allowed_mime_types: list[str] | None


async def find(pool: asyncpg.Pool, bucket_id: str) -> Bucket:
    row = await pool.fetchrow(
        "select id, public, file_size_limit, allowed_mime_types from storage.buckets where id = $1", bucket_id
    )
    if row is None:
        raise errors.no_such_bucket()
    return Bucket(row["id"], bool(row["public"]), row["file_size_limit"], row["allowed_mime_types"])


async def list_visible(pool: asyncpg.Pool, ctx: RequestContext) -> list[asyncpg.Record]:
    async with scoped_transaction(pool, ctx, readonly=True) as conn:
        return list(await conn.fetch(f"select {COLUMNS} from storage.buckets order by name"))


async def get_visible(pool: asyncpg.Pool, ctx: RequestContext, bucket_id: str) -> asyncpg.Record:
    async with scoped_transaction(pool, ctx, readonly=True) as conn:
        row = await conn.fetchrow(f"select {COLUMNS} from storage.buckets where id = $1", bucket_id)
    if row is None:
        raise errors.no_such_bucket()
    return row


async def create(
    pool: asyncpg.Pool,
    ctx: RequestContext,
    bucket_id: str,
    name: str,
    public: bool,
    size_limit: int | None,
    mime_types: list[str] | None,
) -> None:
    sql = (
        "insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)"
        " values ($1, $2, $3::uuid, $4, $5, $6, $7)"
    )
    owner = ctx.user_id if ctx.role == "authenticated" else None
    owner_uuid = uuid_or_none(owner)
    try:
        async with scoped_transaction(pool, ctx) as conn:
            await conn.execute(sql, bucket_id, name, owner_uuid, owner, public, size_limit, mime_types)
    except asyncpg.UniqueViolationError as exc:
        raise errors.bucket_already_exists(exc) from exc
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc


async def update(
    pool: asyncpg.Pool,
    ctx: RequestContext,
    bucket_id: str,
    public: bool | None,
    size_limit: int | None,
    mime_types: list[str] | None,
    set_limit: bool,
    set_types: bool,
) -> None:
    sql = """
update storage.buckets set
    public = coalesce($2, public),
    file_size_limit = case when $4 then $3 else file_size_limit end,
    allowed_mime_types = case when $6 then $5 else allowed_mime_types end,
    updated_at = now()
where id = $1
returning id
"""
    try:
        async with scoped_transaction(pool, ctx) as conn:
            row = await conn.fetchrow(sql, bucket_id, public, size_limit, set_limit, mime_types, set_types)
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc
    if row is None:
        raise errors.no_such_bucket()


async def empty(pool: asyncpg.Pool, ctx: RequestContext, bucket_id: str) -> list[str]:
    """Delete every object of the bucket the caller may delete; returns their versions."""
    try:
        async with scoped_transaction(pool, ctx) as conn:
            if await conn.fetchval("select 1 from storage.buckets where id = $1", bucket_id) is None:
                raise errors.no_such_bucket()
            rows = await conn.fetch("delete from storage.objects where bucket_id = $1 returning version", bucket_id)
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc
    return [row["version"] for row in rows if row["version"]]


async def delete(pool: asyncpg.Pool, ctx: RequestContext, bucket_id: str) -> None:
    try:
        async with scoped_transaction(pool, ctx) as conn:
            if await conn.fetchval("select 1 from storage.objects where bucket_id = $1 limit 1", bucket_id):
                raise errors.bucket_not_empty()
            row = await conn.fetchrow("delete from storage.buckets where id = $1 returning id", bucket_id)
    except asyncpg.ForeignKeyViolationError as exc:
        raise errors.bucket_not_empty() from exc
    except asyncpg.PostgresError as exc:
        raise errors.from_database(exc) from exc
    if row is None:
        raise errors.no_such_bucket()
