"""Listing, removing, moving and copying objects — all as the caller, so RLS decides."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.storage import buckets_sql, errors, limits, objects_sql, paths
from supadesk.server.storage.http import caller, json_body, json_response, record_json
from supadesk.server.storage.service import StorageService

MAX_PREFIXES = 1000
MAX_LIST_LIMIT = 1000


async def remove_many(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    body = await json_body(request)
    names = body.get("prefixes")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise errors.invalid_parameter("prefixes", "prefixes must be a non-empty list of object names")
    if len(names) > MAX_PREFIXES:
        raise errors.invalid_parameter("prefixes", f"at most {MAX_PREFIXES} objects per request")
    rows = await objects_sql.delete_as_caller(service.pool, ctx, bucket_id, names)
    for row in rows:
        service.blobs.remove(row["version"])
    return json_response([record_json(row) for row in rows])


async def remove_one(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    name = paths.object_key(request.path_params["name"])
    rows = await objects_sql.delete_as_caller(service.pool, ctx, bucket_id, [name])
    if not rows:
        raise errors.no_such_key()
    service.blobs.remove(rows[0]["version"])
    return json_response({"message": "Successfully deleted"})


def _int(value: object, default: int, name: str, maximum: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise errors.invalid_parameter(name)
    return min(int(value), maximum)


async def list_objects(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    body = await json_body(request)
    prefix = body.get("prefix") or ""
    search = body.get("search") or ""
    if not isinstance(prefix, str) or not isinstance(search, str):
        raise errors.invalid_parameter("prefix")
    sort = body.get("sortBy") if isinstance(body.get("sortBy"), dict) else {}
    assert isinstance(sort, dict)
    rows = await objects_sql.list_folder(
        service.pool,
        ctx,
        bucket_id,
        paths.list_prefix(prefix),
        search,
        _int(body.get("limit"), 100, "limit", MAX_LIST_LIMIT),
        _int(body.get("offset"), 0, "offset", 2**31 - 1),
        str(sort.get("column") or "name"),
        str(sort.get("order") or "asc").lower() == "desc",
    )
    return json_response([record_json(row) for row in rows])


async def move(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    body = await json_body(request)
    source_bucket = paths.bucket_id(str(body.get("bucketId") or ""))
    source = paths.object_key(str(body.get("sourceKey") or ""))
    target_bucket = paths.bucket_id(str(body.get("destinationBucket") or source_bucket))
    target = paths.object_key(str(body.get("destinationKey") or ""))
    row = await objects_sql.rename(service.pool, ctx, source_bucket, source, target_bucket, target)
    if row is None:
        raise errors.no_such_key()
    return json_response({"message": "Successfully moved"})


async def copy(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    body = await json_body(request)
    source_bucket = paths.bucket_id(str(body.get("bucketId") or ""))
    source = paths.object_key(str(body.get("sourceKey") or ""))
    target_bucket_id = paths.bucket_id(str(body.get("destinationBucket") or source_bucket))
    target = paths.object_key(str(body.get("destinationKey") or ""))
    upsert = request.headers.get("x-upsert", "").lower() == "true"
    row = await objects_sql.find(service.pool, ctx, source_bucket, source)
    if row is None:
        raise errors.no_such_key()
    target_bucket = await buckets_sql.find(service.pool, target_bucket_id)
    source_row = record_json(row)
    metadata = source_row.get("metadata") or {}
    limits.check_mime_type(str(metadata.get("mimetype") or ""), target_bucket.allowed_mime_types)
    limit = limits.effective_limit(service.global_limit, target_bucket.file_size_limit)
    if int(metadata.get("size") or 0) > limit:
        raise errors.entity_too_large(limit)
    version = service.blobs.copy(row["version"])
    if version is None:
        raise errors.no_such_key()
    obj = objects_sql.NewObject(
        target_bucket.id, target, ctx.user_id, version, metadata, source_row.get("user_metadata")
    )
    try:
        await objects_sql.check_can_write(service.pool, ctx, obj, upsert=upsert)
        saved = await objects_sql.save(service.pool, obj, upsert=upsert, commit_file=lambda: None)
    except BaseException:
        service.blobs.remove(version)
        raise
    if saved.replaced_version:
        service.blobs.remove(saved.replaced_version)
    return json_response({"Id": saved.id, "Key": f"{target_bucket.id}/{target}"})
