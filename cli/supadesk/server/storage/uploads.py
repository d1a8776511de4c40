"""The upload pipeline shared by POST/PUT /object and the signed-upload PUT:

1. authorise (done by the caller of `store_upload`: RLS test-insert as the user, or a signed token),
2. stream the body to a temp file, enforcing the size limit and the content check as bytes arrive,
3. fsync, then write the row and rename the file into place in one transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from supadesk.server.storage import errors, limits, objects_sql
from supadesk.server.storage.blobs import TempFile, new_version
from supadesk.server.storage.body import UploadBody
from supadesk.server.storage.buckets_sql import Bucket
from supadesk.server.storage.service import StorageService
from supadesk.server.storage.sniff import ContentCheck


@dataclass(frozen=True)
class Stored:
    id: str
    key: str  # "<bucket>/<name>"


def declared_type_ok(body: UploadBody, bucket: Bucket) -> None:
    limits.check_mime_type(body.content_type, bucket.allowed_mime_types)


async def receive(service: StorageService, body: UploadBody, bucket: Bucket) -> TempFile:
    """Stream the file part into a temp file; refuse it as soon as it breaks a rule."""
    limit = limits.effective_limit(service.global_limit, bucket.file_size_limit)
    check = ContentCheck(body.content_type) if bucket.allowed_mime_types else None
    temp = service.blobs.new_temp()
    try:
        async for chunk in body.chunks():
            if temp.size + len(chunk) > limit:
                raise errors.entity_too_large(limit)
            if check is not None:
                check.feed(chunk)
            temp.write(chunk)
        await temp.flush()
        if check is not None:
            await asyncio.to_thread(check.finish, temp.path)
    except BaseException:
        temp.discard()  # the unread rest of the body is drained by drain.DrainBody
        raise
    return temp


def object_metadata(temp: TempFile, body: UploadBody) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "eTag": temp.etag,
        "size": temp.size,
        "mimetype": body.content_type,
        "cacheControl": body.cache_control,
        "lastModified": now,
        "contentLength": temp.size,
        "httpStatusCode": 200,
    }


async def store_upload(
    service: StorageService, body: UploadBody, bucket: Bucket, name: str, owner_id: str | None, *, upsert: bool
) -> Stored:
    temp = await receive(service, body, bucket)
    version = new_version()
    obj = objects_sql.NewObject(bucket.id, name, owner_id, version, object_metadata(temp, body), body.user_metadata)
    try:
        saved = await objects_sql.save(service.pool, obj, upsert=upsert, commit_file=lambda: temp.commit(version))
    except BaseException:
        temp.discard()
        service.blobs.remove(version)
        raise
    if saved.replaced_version:
        service.blobs.remove(saved.replaced_version)
    return Stored(saved.id, f"{bucket.id}/{name}")


def placeholder(bucket: Bucket, name: str, owner_id: str | None, body: UploadBody | None) -> objects_sql.NewObject:
    """The row used to test the caller's permission before any byte is stored."""
    metadata: dict[str, Any] = {"mimetype": body.content_type} if body is not None else {}
    return objects_sql.NewObject(bucket.id, name, owner_id, new_version(), metadata, None)
