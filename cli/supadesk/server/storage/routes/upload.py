"""POST/PUT /object/{bucket}/{name} (upload, x-upsert) and PUT /object/upload/sign/{bucket}/{name}?token=."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.storage import buckets_sql, errors, limits, objects_sql, paths, tokens, uploads
from supadesk.server.storage.body import open_upload
from supadesk.server.storage.http import caller, json_response
from supadesk.server.storage.service import StorageService


def _target(request: Request) -> tuple[str, str]:
    return paths.bucket_id(request.path_params["bucket"]), paths.object_key(request.path_params["name"])


def _refuse_declared_length(request: Request, service: StorageService, bucket: buckets_sql.Bucket) -> None:
    """A raw body whose Content-Length already exceeds the limit is refused before it is read."""
    if request.headers.get("content-type", "").lower().startswith("multipart/"):
        return
    declared = request.headers.get("content-length", "")
    limit = limits.effective_limit(service.global_limit, bucket.file_size_limit)
    if declared.isdigit() and int(declared) > limit:
        raise errors.entity_too_large(limit)


async def upload(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id, name = _target(request)
    upsert = request.method == "PUT" or request.headers.get("x-upsert", "").lower() == "true"
    bucket = await buckets_sql.find(service.pool, bucket_id)
    _refuse_declared_length(request, service, bucket)
    body = await open_upload(request)
    uploads.declared_type_ok(body, bucket)
    owner = ctx.user_id
    await objects_sql.check_can_write(service.pool, ctx, uploads.placeholder(bucket, name, owner, body), upsert=upsert)
    stored = await uploads.store_upload(service, body, bucket, name, owner, upsert=upsert)
    return json_response({"Id": stored.id, "Key": stored.key})


async def upload_signed(request: Request, service: StorageService) -> Response:
    bucket_id, name = _target(request)
    grant = tokens.verify(service.keys, request.query_params.get("token", ""), bucket_id, name, "upload")
    bucket = await buckets_sql.find(service.pool, bucket_id)
    _refuse_declared_length(request, service, bucket)
    body = await open_upload(request)
    uploads.declared_type_ok(body, bucket)
    stored = await uploads.store_upload(service, body, bucket, name, grant.owner, upsert=grant.upsert)
    return json_response({"Id": stored.id, "Key": stored.key})
