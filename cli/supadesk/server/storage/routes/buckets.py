"""The bucket API: GET /bucket, GET /bucket/{id}, POST /bucket, PUT /bucket/{id},
POST /bucket/{id}/empty, DELETE /bucket/{id} — as the caller (RLS on storage.buckets)."""

from __future__ import annotations

from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.storage import buckets_sql, errors, limits, paths
from supadesk.server.storage.http import caller, json_body, json_response
from supadesk.server.storage.service import StorageService


def bucket_json(row: asyncpg.Record) -> dict[str, Any]:
    owner = row["owner_id"] or (str(row["owner"]) if row["owner"] else "")
    return {
        "id": row["id"],
        "name": row["name"],
        "owner": owner,
        "public": bool(row["public"]),
        "type": row["type"],
        "file_size_limit": row["file_size_limit"],
        "allowed_mime_types": row["allowed_mime_types"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _mime_types(value: object) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and "/" in v for v in value):
        raise errors.invalid_parameter("allowed_mime_types", "allowed_mime_types must be a list of MIME types")
    return list(value) or None


async def list_buckets(request: Request, service: StorageService) -> Response:
    rows = await buckets_sql.list_visible(service.pool, caller(request, service))
    return json_response([bucket_json(row) for row in rows])


async def get_bucket(request: Request, service: StorageService) -> Response:
    row = await buckets_sql.get_visible(service.pool, caller(request, service), request.path_params["bucket"])
    return json_response(bucket_json(row))


async def create_bucket(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    body = await json_body(request)
    bucket_id = paths.bucket_id(str(body.get("id") or body.get("name") or ""))
    name = paths.bucket_id(str(body.get("name") or bucket_id))
    await buckets_sql.create(
        service.pool,
        ctx,
        bucket_id,
        name,
        body.get("public") is True,
        limits.bucket_size_limit(body.get("file_size_limit")),
        _mime_types(body.get("allowed_mime_types")),
    )
    return json_response({"name": name})


async def update_bucket(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    body = await json_body(request)
    public = body.get("public")
    await buckets_sql.update(
        service.pool,
        ctx,
        bucket_id,
        public if isinstance(public, bool) else None,
        limits.bucket_size_limit(body.get("file_size_limit")),
        _mime_types(body.get("allowed_mime_types")),
        set_limit="file_size_limit" in body,
        set_types="allowed_mime_types" in body,
    )
    return json_response({"message": "Successfully updated"})


async def empty_bucket(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    for version in await buckets_sql.empty(service.pool, ctx, bucket_id):
        service.blobs.remove(version)
    return json_response({"message": "Successfully emptied"})


async def delete_bucket(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    await buckets_sql.delete(service.pool, ctx, paths.bucket_id(request.path_params["bucket"]))
    return json_response({"message": "Successfully deleted"})
