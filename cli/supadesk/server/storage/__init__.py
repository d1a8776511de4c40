"""`/storage/v1`: Supabase Storage for storage-js and storage3, on local disk + storage.objects.

Access is decided by the RLS policies on storage.buckets/storage.objects, evaluated as the caller
(`scoped_transaction`); signed URLs carry their own grant. Uploads never attached to a message
are swept hourly (sweep.py). See docs/attachments.md.
"""

from __future__ import annotations

import asyncio
import json
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from supadesk.server.storage import limits, sweep
from supadesk.server.storage.blobs import BlobStore
from supadesk.server.storage.drain import DrainBody
from supadesk.server.storage.http import Handler, guarded
from supadesk.server.storage.routes import buckets, download, manage, sign, upload
from supadesk.server.storage.service import StorageService
from supadesk.server.surface import ServerState, Surface

OBJ = "{bucket}/{name:path}"
# Reachable without a project key: signed URLs carry their own grant, public buckets need none.
_PUBLIC = re.compile(r"^/object/(sign|public|info/public|upload/sign)/")


def is_public_path(method: str, path: str) -> bool:
    if not _PUBLIC.match(path):
        return False
    if path.startswith("/object/upload/sign/"):
        return method == "PUT"
    if path.startswith("/object/sign/"):
        return method in ("GET", "HEAD")
    return method in ("GET", "HEAD")


def _routes(service: StorageService) -> list[Route]:
    def r(path: str, handler: Handler, methods: list[str]) -> Route:
        return Route(path, guarded(service, handler), methods=methods)

    return [
        r("/bucket", buckets.list_buckets, ["GET"]),
        r("/bucket", buckets.create_bucket, ["POST"]),
        r("/bucket/{bucket}/empty", buckets.empty_bucket, ["POST"]),
        r("/bucket/{bucket}", buckets.get_bucket, ["GET"]),
        r("/bucket/{bucket}", buckets.update_bucket, ["PUT"]),
        r("/bucket/{bucket}", buckets.delete_bucket, ["DELETE"]),
        r("/object/move", manage.move, ["POST"]),
        r("/object/copy", manage.copy, ["POST"]),
        r("/object/list/{bucket}", manage.list_objects, ["POST"]),
        r(f"/object/upload/sign/{OBJ}", sign.sign_upload, ["POST"]),
        r(f"/object/upload/sign/{OBJ}", upload.upload_signed, ["PUT"]),
        r("/object/sign/{bucket}", sign.sign_many, ["POST"]),
        r(f"/object/sign/{OBJ}", sign.sign_download, ["POST"]),
        r(f"/object/sign/{OBJ}", download.signed, ["GET", "HEAD"]),
        r(f"/object/info/public/{OBJ}", download.info_public, ["GET"]),
        r(f"/object/info/authenticated/{OBJ}", download.info, ["GET"]),
        r(f"/object/info/{OBJ}", download.info, ["GET"]),
        r(f"/object/public/{OBJ}", download.public, ["GET", "HEAD"]),
        r(f"/object/authenticated/{OBJ}", download.authenticated, ["GET", "HEAD"]),
        r("/object/{bucket}", manage.remove_many, ["DELETE"]),
        r(f"/object/{OBJ}", upload.upload, ["POST", "PUT"]),
        r(f"/object/{OBJ}", download.authenticated, ["GET", "HEAD"]),
        r(f"/object/{OBJ}", manage.remove_one, ["DELETE"]),
        Route("/{rest:path}", _no_route, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
    ]


async def _no_route(request: Request) -> Response:
    message = f"Route {request.method}:{request.url.path} not found"
    body = {"statusCode": "404", "code": "NotFound", "error": "Not Found", "message": message}
    return Response(json.dumps(body), status_code=404, media_type="application/json")


def create_surface(state: ServerState) -> Surface:
    service = StorageService(
        pool=state.pool,
        keys=state.keys,
        blobs=BlobStore(state.settings.data_dir / "storage"),
        global_limit=limits.global_limit(state.settings.supabase_dir),
    )
    app = DrainBody(Starlette(routes=_routes(service)))
    sweeper: asyncio.Task[None] | None = None

    async def startup() -> None:
        nonlocal sweeper
        if sweep.every_s() > 0:
            task = sweep.sweep_forever(service, sweep.every_s(), sweep.older_than())
            sweeper = asyncio.get_running_loop().create_task(task)

    async def shutdown() -> None:
        if sweeper is not None:
            sweeper.cancel()

    return Surface(prefix="/storage/v1", app=app, startup=startup, shutdown=shutdown, is_public_path=is_public_path)
