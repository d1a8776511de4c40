"""Reading objects: GET/HEAD /object[/authenticated]/{bucket}/{name} (RLS as the caller),
/object/public/{bucket}/{name} (public buckets), /object/sign/{bucket}/{name}?token= (signed URL,
no auth needed) and GET /object/info[/authenticated|/public]/{bucket}/{name}."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.storage import buckets_sql, errors, objects_sql, paths, tokens
from supadesk.server.storage.http import caller, json_response
from supadesk.server.storage.render import metadata_of, object_response
from supadesk.server.storage.service import StorageService


def _target(request: Request) -> tuple[str, str]:
    return paths.bucket_id(request.path_params["bucket"]), paths.object_key(request.path_params["name"])


async def authenticated(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id, name = _target(request)
    row = await objects_sql.find(service.pool, ctx, bucket_id, name)
    if row is None:
        raise errors.no_such_key()
    return object_response(request, service, row)


async def public(request: Request, service: StorageService) -> Response:
    bucket_id, name = _target(request)
    bucket = await buckets_sql.find(service.pool, bucket_id)
    if not bucket.public:
        raise errors.no_such_bucket()
    row = await objects_sql.find(service.pool, None, bucket_id, name)
    if row is None:
        raise errors.no_such_key()
    return object_response(request, service, row)


async def signed(request: Request, service: StorageService) -> Response:
    bucket_id, name = _target(request)
    grant = tokens.verify(service.keys, request.query_params.get("token", ""), bucket_id, name, "download")
    row = await objects_sql.find(service.pool, None, bucket_id, name)
    if row is None:
        raise errors.no_such_key()
    expires = format_datetime(dt.datetime.fromtimestamp(grant.exp, dt.UTC), usegmt=True)
    return object_response(request, service, row, expires=expires)


async def info(request: Request, service: StorageService) -> Response:
    bucket_id, name = _target(request)
    row = await objects_sql.find(service.pool, caller(request, service), bucket_id, name)
    return _info_response(row)


async def info_public(request: Request, service: StorageService) -> Response:
    bucket_id, name = _target(request)
    bucket = await buckets_sql.find(service.pool, bucket_id)
    if not bucket.public:
        raise errors.no_such_bucket()
    return _info_response(await objects_sql.find(service.pool, None, bucket_id, name))


def _info_response(row: asyncpg.Record | None) -> Response:
    if row is None:
        raise errors.no_such_key()
    meta = metadata_of(row)
    return json_response(
        {
            "id": str(row["id"]),
            "name": row["name"],
            "version": row["version"],
            "bucket_id": row["bucket_id"],
            "size": meta.get("size"),
            "content_type": meta.get("mimetype"),
            "cache_control": meta.get("cacheControl"),
            "etag": meta.get("eTag"),
            "metadata": _json_or_none(row["user_metadata"]),
            "last_modified": row["updated_at"],
            "created_at": row["created_at"],
        }
    )


def _json_or_none(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value
