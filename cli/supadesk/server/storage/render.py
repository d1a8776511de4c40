"""An object's bytes as an HTTP response: Content-Type/Length, ETag, Cache-Control, Last-Modified,
a single byte range, conditional GET, and `?download` as Content-Disposition. Files are streamed
from disk in 1 MiB chunks; the object's own type is never sniffed by the browser (nosniff), and
types a browser would run as a page are sandboxed."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
from collections.abc import AsyncIterator
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

import asyncpg
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from supadesk.server.storage import errors
from supadesk.server.storage.service import StorageService

CHUNK = 1024 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_ACTIVE_TYPES = (
    "text/html",
    "image/svg+xml",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
)


def metadata_of(row: asyncpg.Record) -> dict[str, Any]:
    value = row["metadata"]
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def _disposition(download: str) -> str:
    if not download:
        return "attachment;"
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", download)[:200]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download, safe='')}"


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) for a single satisfiable range; None for no range; InvalidRange else."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None  # unsupported forms (multiple ranges) are answered with the whole object
    if not match.group(1):
        length = int(match.group(2))
        if length == 0 or size == 0:
            raise errors.invalid_range()
        return max(0, size - length), size - 1
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else size - 1
    if start >= size or end < start:
        raise errors.invalid_range()
    return start, min(end, size - 1)


async def _stream(fd: int, start: int, length: int) -> AsyncIterator[bytes]:
    try:
        remaining = length
        offset = start
        while remaining > 0:
            chunk = await asyncio.to_thread(os.pread, fd, min(CHUNK, remaining), offset)
            if not chunk:
                break
            offset += len(chunk)
            remaining -= len(chunk)
            yield chunk
    finally:
        os.close(fd)


def object_response(
    request: Request, service: StorageService, row: asyncpg.Record, *, expires: str | None = None
) -> Response:
    path = service.blobs.path_for(row["version"])
    try:
        fd = os.open(path, os.O_RDONLY) if path is not None else -1
    except FileNotFoundError:
        fd = -1
    if fd < 0:
        raise errors.no_such_key()
    try:
        size = os.fstat(fd).st_size
        meta = metadata_of(row)
        mimetype = str(meta.get("mimetype") or "application/octet-stream")
        headers = {
            "content-type": mimetype,
            "accept-ranges": "bytes",
            "cache-control": str(meta.get("cacheControl") or "no-cache"),
            "x-content-type-options": "nosniff",
        }
        if meta.get("eTag"):
            headers["etag"] = str(meta["eTag"])
        if row["updated_at"] is not None:
            headers["last-modified"] = format_datetime(row["updated_at"].astimezone(dt.UTC), usegmt=True)
        if expires:
            headers["expires"] = expires
        if mimetype.split(";", 1)[0].strip().lower() in _ACTIVE_TYPES:
            headers["content-security-policy"] = "sandbox; default-src 'none'"
        download = request.query_params.get("download")
        if download is not None:
            headers["content-disposition"] = _disposition(download)
        if "etag" in headers and request.headers.get("if-none-match") == headers["etag"]:
            os.close(fd)
            return Response(status_code=304, headers={k: v for k, v in headers.items() if k != "content-type"})
        span = _byte_range(request.headers.get("range"), size)
        start, end = span if span is not None else (0, size - 1)
        length = max(0, end - start + 1)
        headers["content-length"] = str(length)
        status = 200
        if span is not None:
            status = 206
            headers["content-range"] = f"bytes {start}-{end}/{size}"
        if request.method == "HEAD":
            os.close(fd)
            return Response(status_code=status, headers=headers)
    except BaseException:
        os.close(fd)
        raise
    return StreamingResponse(_stream(fd, start, length), status_code=status, headers=headers)
