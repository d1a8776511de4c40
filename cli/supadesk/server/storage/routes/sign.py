"""Signed URLs: POST /object/upload/sign/{bucket}/{name} (upload), POST /object/sign/{bucket}/{name}
(download) and POST /object/sign/{bucket} (bulk download). The caller must be allowed (by RLS) to
insert, respectively see, the object now; the token then carries the grant on its own."""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.storage import buckets_sql, errors, objects_sql, paths, tokens, uploads
from supadesk.server.storage.http import caller, json_body, json_response
from supadesk.server.storage.service import StorageService

MAX_PATHS = 1000
NOT_VISIBLE = "Either the object does not exist or you do not have access to it"


def upload_url_expiry() -> int:
    """Seconds a signed upload URL stays valid (Storage's UPLOAD_SIGNED_URL_EXPIRATION_TIME; 1 h here, as the
    get-signed-url function promises; hosted Supabase sets its own)."""
    value = os.environ.get("SUPADESK_STORAGE_UPLOAD_URL_EXPIRES", "3600")
    return int(value) if value.isdigit() and int(value) > 0 else 3600


async def sign_upload(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    name = paths.object_key(request.path_params["name"])
    upsert = request.headers.get("x-upsert", "").lower() == "true"
    bucket = await buckets_sql.find(service.pool, bucket_id)
    await objects_sql.check_can_write(
        service.pool, ctx, uploads.placeholder(bucket, name, ctx.user_id, None), upsert=upsert
    )
    token = tokens.sign(service.keys, bucket_id, name, "upload", upload_url_expiry(), owner=ctx.user_id, upsert=upsert)
    return json_response({"url": f"/object/upload/sign/{bucket_id}/{name}?token={token}", "token": token})


async def sign_download(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    name = paths.object_key(request.path_params["name"])
    body = await json_body(request)
    if "expiresIn" not in body:
        raise errors.missing_parameter("expiresIn")
    expires_in = tokens.expires_in(body["expiresIn"])
    if await objects_sql.find(service.pool, ctx, bucket_id, name, "id") is None:
        raise errors.no_such_key()
    token = tokens.sign(service.keys, bucket_id, name, "download", expires_in)
    return json_response({"signedURL": f"/object/sign/{bucket_id}/{name}?token={token}"})


async def sign_many(request: Request, service: StorageService) -> Response:
    ctx = caller(request, service)
    bucket_id = paths.bucket_id(request.path_params["bucket"])
    body = await json_body(request)
    if "expiresIn" not in body:
        raise errors.missing_parameter("expiresIn")
    expires_in = tokens.expires_in(body["expiresIn"])
    names = body.get("paths")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise errors.invalid_parameter("paths", "paths must be a non-empty list of object names")
    if len(names) > MAX_PATHS:
        raise errors.invalid_parameter("paths", f"at most {MAX_PATHS} paths per request")
    visible = await objects_sql.visible_names(service.pool, ctx, bucket_id, names)
    results = []
    for name in names:
        if name in visible:
            token = tokens.sign(service.keys, bucket_id, name, "download", expires_in)
            results.append({"error": None, "path": name, "signedURL": f"/object/sign/{bucket_id}/{name}?token={token}"})
        else:
            results.append({"error": NOT_VISIBLE, "path": name, "signedURL": None})
    return json_response(results)
