"""Upload bodies, streamed: raw bytes (Content-Type header) or multipart/form-data in both client
dialects (storage-js: file part named "" + `cacheControl`/`metadata` fields; storage3: part
`file`). Nothing is buffered beyond one network chunk and the small form fields.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from supadesk.server.storage import errors

MAX_FIELD_BYTES = 64 * 1024
MAX_PART_HEADER_BYTES = 16 * 1024
MAX_PARTS = 16
DEFAULT_MIME = "application/octet-stream"


@dataclass
class UploadBody:
    content_type: str
    cache_control: str
    user_metadata: dict[str, Any] | None
    _chunks: AsyncIterator[bytes]

    def chunks(self) -> AsyncIterator[bytes]:
        return self._chunks


async def open_upload(request: Request) -> UploadBody:
    raw = request.stream().__aiter__()
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        return await _open_multipart(raw, content_type)
    return UploadBody(
        content_type=content_type or DEFAULT_MIME,
        cache_control=request.headers.get("cache-control") or "no-cache",
        user_metadata=_metadata_header(request.headers.get("x-metadata")),
        _chunks=_nonempty(raw),
    )


async def _nonempty(raw: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in raw:
        if chunk:
            yield chunk


def _metadata_header(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        decoded = base64.b64decode(value, validate=False).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise errors.invalid_request("x-metadata must be base64-encoded JSON") from exc
    return _metadata_json(decoded)


def _metadata_json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise errors.invalid_request("metadata must be a JSON object") from exc
    if value is None:
        return None
    if not isinstance(value, dict):
        raise errors.invalid_request("metadata must be a JSON object")
    return value


def _cache_control(value: str | None) -> str:
    if not value:
        return "max-age=3600"
    return f"max-age={value}" if value.strip().isdigit() else value


# -- multipart ------------------------------------------------------------------------------


class _Part:
    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.name = ""
        self.filename: str | None = None
        self.content_type = ""
        self.value = bytearray()

    def finish_headers(self) -> None:
        _, params = parse_options_header(self.headers.get("content-disposition", ""))
        self.name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        self.filename = filename.decode("utf-8", "replace") if filename is not None else None
        self.content_type = self.headers.get("content-type", "")

    @property
    def is_file(self) -> bool:
        return self.filename is not None or self.name in ("", "file")


class _Events:
    """Collects the parser's callbacks for one `write()` so they can be handled asynchronously."""

    def __init__(self, boundary: bytes) -> None:
        self.items: list[tuple[str, bytes]] = []
        add = self.items.append
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": lambda: add(("begin", b"")),
                "on_header_field": lambda d, s, e: add(("field", bytes(d[s:e]))),
                "on_header_value": lambda d, s, e: add(("value", bytes(d[s:e]))),
                "on_header_end": lambda: add(("header_end", b"")),
                "on_headers_finished": lambda: add(("headers", b"")),
                "on_part_data": lambda d, s, e: add(("data", bytes(d[s:e]))),
                "on_part_end": lambda: add(("end", b"")),
            },
        )


async def _events(raw: AsyncIterator[bytes], boundary: bytes) -> AsyncIterator[tuple[str, bytes]]:
    events = _Events(boundary)
    try:
        async for chunk in raw:
            events.parser.write(chunk)
            items, events.items[:] = list(events.items), []
            for item in items:
                yield item
        events.parser.finalize()
    except errors.StorageError:
        raise
    except Exception as exc:  # python-multipart raises plain errors for malformed bodies
        raise errors.invalid_request("The multipart body could not be parsed") from exc
    for item in events.items:
        yield item


async def _open_multipart(raw: AsyncIterator[bytes], content_type: str) -> UploadBody:
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise errors.invalid_request("multipart/form-data without a boundary")
    stream = _events(raw, boundary)
    fields: dict[str, str] = {}
    part: _Part | None = None
    header_name = bytearray()
    header_value = bytearray()
    header_bytes = 0
    parts = 0
    async for kind, payload in stream:
        if kind == "begin":
            parts += 1
            if parts > MAX_PARTS:
                raise errors.invalid_request("Too many parts in the multipart body")
            part, header_bytes = _Part(), 0
        elif kind in ("field", "value"):
            header_bytes += len(payload)
            if header_bytes > MAX_PART_HEADER_BYTES:
                raise errors.invalid_request("Multipart part headers are too large")
            (header_name if kind == "field" else header_value).extend(payload)
        elif kind == "header_end" and part is not None:
            part.headers[header_name.decode("latin-1").lower()] = header_value.decode("utf-8", "replace")
            header_name.clear()
            header_value.clear()
        elif kind == "headers" and part is not None:
            part.finish_headers()
            if part.is_file:
                return _file_body(part, fields, stream)
        elif kind == "data" and part is not None:
            part.value.extend(payload)
            if len(part.value) > MAX_FIELD_BYTES:
                raise errors.invalid_request(f"Form field {part.name!r} is too large")
        elif kind == "end" and part is not None:
            fields[part.name] = part.value.decode("utf-8", "replace")
            part = None
    raise errors.invalid_request("No file found in the multipart body")


def _file_body(part: _Part, fields: dict[str, str], stream: AsyncIterator[tuple[str, bytes]]) -> UploadBody:
    return UploadBody(
        content_type=part.content_type or DEFAULT_MIME,
        cache_control=_cache_control(fields.get("cacheControl")),
        user_metadata=_metadata_json(fields["metadata"]) if fields.get("metadata") else None,
        _chunks=_file_chunks(stream),
    )


async def _file_chunks(stream: AsyncIterator[tuple[str, bytes]]) -> AsyncIterator[bytes]:
    in_file = True  # parts after the file (storage-js puts none there) are read and ignored
    async for kind, payload in stream:
        if kind == "data" and in_file:
            if payload:
                yield payload
        elif kind == "end":
            in_file = False
