"""Size limits hold while the body streams: the temp file never grows past the bucket's limit,
nothing is stored, and the client still gets Storage's EntityTooLarge error."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, PNG, Person, client_as, temp_files

pytestmark = pytest.mark.asyncio(loop_scope="session")

SMALL = "sd-st-small"
LIMIT = 1024 * 1024
CHUNK = 128 * 1024


@pytest_asyncio.fixture(loop_scope="session")
async def small_bucket(server: RunningServer) -> str:
    admin = await client_as(server.api_url, server.anon_key, server.service_role_key)
    existing = {b.id for b in await admin.storage.list_buckets()}
    if SMALL not in existing:
        await admin.storage.create_bucket(SMALL, options={"public": False, "file_size_limit": LIMIT})
    return SMALL


def _largest_temp(storage_dir: Path) -> int | None:
    sizes = []
    for path in temp_files(storage_dir):
        try:
            sizes.append(path.stat().st_size)
        except FileNotFoundError:
            continue
    return max(sizes) if sizes else None


async def _server_caught_up(storage_dir: Path, sent: int, seen_before: bool) -> int | None:
    """Wait until the server has written what we sent (up to the limit) to its temp file, or —
    once a temp file was seen — dropped it (the upload was refused)."""
    for _ in range(400):
        largest = _largest_temp(storage_dir)
        if (largest is None and seen_before) or (largest is not None and largest >= min(sent, LIMIT)):
            return largest
        await asyncio.sleep(0.025)
    raise AssertionError(f"the server never wrote the {sent} bytes it received to a temp file")


async def test_oversize_upload_is_refused_while_streaming(
    server: RunningServer, small_bucket: str, storage_dir: Path
) -> None:
    observed: list[int] = []
    total = 6 * LIMIT

    async def body() -> AsyncIterator[bytes]:
        sent = 0
        while sent < total:
            yield b"\x01" * CHUNK
            sent += CHUNK
            largest = await _server_caught_up(storage_dir, sent, bool(observed))
            if largest is not None:
                observed.append(largest)

    headers = {"apikey": server.service_role_key, "Authorization": f"Bearer {server.service_role_key}",
               "content-type": "application/octet-stream"}  # fmt: skip
    async with httpx.AsyncClient(timeout=60) as plain:
        response = await plain.post(
            f"{server.api_url}/storage/v1/object/{small_bucket}/big-{uuid.uuid4()}.bin", content=body(), headers=headers
        )
    assert response.status_code == 400
    assert response.json()["code"] == "EntityTooLarge"
    assert response.json()["statusCode"] == "413"
    assert observed and max(observed) <= LIMIT  # the temp file never exceeded the limit
    assert max(observed) >= LIMIT // 2  # ...and it really was being written while streaming
    assert temp_files(storage_dir) == []


async def test_declared_oversize_is_refused_before_reading(server: RunningServer, small_bucket: str) -> None:
    headers = {"apikey": server.service_role_key, "Authorization": f"Bearer {server.service_role_key}",
               "content-type": "application/octet-stream"}  # fmt: skip
    async with httpx.AsyncClient(timeout=60) as plain:
        response = await plain.post(
            f"{server.api_url}/storage/v1/object/{small_bucket}/declared.bin",
            content=b"\x00" * (LIMIT + 1),
            headers=headers,
        )
    assert response.json()["code"] == "EntityTooLarge"


async def test_limit_is_inclusive_through_the_official_client(server: RunningServer, small_bucket: str, db) -> None:
    storage = (await client_as(server.api_url, server.anon_key, server.service_role_key)).storage.from_(small_bucket)
    await storage.upload("exact.bin", b"\x02" * LIMIT, {"content-type": "application/octet-stream"})
    with pytest.raises(StorageApiError) as caught:
        await storage.upload("over.bin", b"\x02" * (LIMIT + 1), {"content-type": "application/octet-stream"})
    assert (caught.value.code, str(caught.value.status)) == ("Payload too large", "413")
    assert (
        await db.fetchval(
            "select count(*) from storage.objects where bucket_id = $1 and name = 'over.bin'", small_bucket
        )
        == 0
    )


async def test_attachment_over_50_mib_is_refused_through_a_signed_upload_url(
    server: RunningServer, visitor: Person, db, storage_dir: Path
) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    signed = await bucket.create_signed_upload_url(f"{visitor.folder()}/{uuid.uuid4()}-huge.png")
    huge = PNG + b"\x00" * (50 * 1024 * 1024)
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload_to_signed_url(signed["path"], signed["token"], huge, {"content-type": "image/png"})
    assert (caught.value.code, str(caught.value.status)) == ("Payload too large", "413")
    assert await db.fetchval("select count(*) from storage.objects where name = $1", signed["path"]) == 0
    assert temp_files(storage_dir) == []
