"""Object operations through storage3: upsert semantics, update, list, remove, info, ranges,
move and copy — with the files on disk following the rows."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, PNG, blob_files, client_as

pytestmark = pytest.mark.asyncio(loop_scope="session")

FILES = "sd-st-files"


@pytest_asyncio.fixture(loop_scope="session")
async def files(server: RunningServer):  # type: ignore[no-untyped-def]
    admin = await client_as(server.api_url, server.anon_key, server.service_role_key)
    if FILES not in {b.id for b in await admin.storage.list_buckets()}:
        await admin.storage.create_bucket(FILES)
    return admin.storage.from_(FILES)


async def test_upload_without_upsert_refuses_an_existing_key(files) -> None:  # type: ignore[no-untyped-def]
    key = f"dup/{uuid.uuid4()}.txt"
    await files.upload(key, b"first", {"content-type": "text/plain"})
    with pytest.raises(StorageApiError) as caught:
        await files.upload(key, b"second", {"content-type": "text/plain"})
    assert caught.value.code == "Duplicate" and str(caught.value.status) == "409"
    assert await files.download(key) == b"first"


async def test_upsert_replaces_content_in_place(files, db, storage_dir: Path) -> None:  # type: ignore[no-untyped-def]
    key = f"upsert/{uuid.uuid4()}.txt"
    await files.upload(key, b"version one", {"content-type": "text/plain"})
    first = await db.fetchrow("select id, version from storage.objects where bucket_id = $1 and name = $2", FILES, key)
    blobs_before = blob_files(storage_dir)
    await files.upload(key, b"version two", {"content-type": "text/plain", "upsert": "true"})
    second = await db.fetchrow("select id, version from storage.objects where bucket_id = $1 and name = $2", FILES, key)
    assert await files.download(key) == b"version two"
    assert second["id"] == first["id"]  # rows referencing the object (attachments) stay valid
    assert second["version"] != first["version"]
    assert len(blob_files(storage_dir)) == len(blobs_before)  # the replaced version's file is gone
    await files.update(key, b"version three", {"content-type": "text/plain"})
    assert await files.download(key) == b"version three"


async def test_list_shows_one_folder_level(files) -> None:  # type: ignore[no-untyped-def]
    root = f"list-{uuid.uuid4().hex[:8]}"
    for name in ("b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt"):
        await files.upload(f"{root}/{name}", name.encode(), {"content-type": "text/plain"})
    entries = await files.list(root)
    assert [e["name"] for e in entries] == ["a.txt", "b.txt", "sub"]
    folder = next(e for e in entries if e["name"] == "sub")
    assert folder["id"] is None and folder["metadata"] is None
    assert entries[0]["metadata"]["size"] == len(b"a.txt")
    assert [e["name"] for e in await files.list(f"{root}/sub")] == ["c.txt", "deeper"]
    assert [e["name"] for e in await files.list(root, {"limit": 1, "offset": 1})] == ["b.txt"]
    desc = await files.list(root, {"sortBy": {"column": "name", "order": "desc"}})
    assert [e["name"] for e in desc] == ["sub", "b.txt", "a.txt"]
    assert [e["name"] for e in await files.list(root, {"search": "b."})] == ["b.txt"]


async def test_remove_deletes_rows_and_files(files, storage_dir: Path) -> None:  # type: ignore[no-untyped-def]
    root = f"rm-{uuid.uuid4().hex[:8]}"
    await files.upload(f"{root}/one.txt", b"1", {"content-type": "text/plain"})
    await files.upload(f"{root}/two.txt", b"2", {"content-type": "text/plain"})
    before = blob_files(storage_dir)
    removed = await files.remove([f"{root}/one.txt", f"{root}/two.txt", f"{root}/missing.txt"])
    assert sorted(r["name"] for r in removed) == [f"{root}/one.txt", f"{root}/two.txt"]
    assert len(before - blob_files(storage_dir)) == 2
    assert await files.list(root) == []
    assert not await files.exists(f"{root}/one.txt")


async def test_info_and_exists(files) -> None:  # type: ignore[no-untyped-def]
    key = f"info/{uuid.uuid4()}.png"
    await files.upload(key, PNG, {"content-type": "image/png", "metadata": {"purpose": "test"}})
    info = await files.info(key)
    assert info["size"] == len(PNG) and info["content_type"] == "image/png"
    assert info["metadata"] == {"purpose": "test"} and info["name"] == key
    assert await files.exists(key)
    assert not await files.exists(f"info/{uuid.uuid4()}.png")


async def test_info_routes_by_scope(server: RunningServer, files) -> None:  # type: ignore[no-untyped-def]
    key = f"info/{uuid.uuid4()}.txt"
    await files.upload(key, b"scoped", {"content-type": "text/plain"})
    auth = {"apikey": server.service_role_key, "Authorization": f"Bearer {server.service_role_key}"}
    async with httpx.AsyncClient(base_url=f"{server.api_url}/storage/v1") as plain:
        authenticated = await plain.get(f"/object/info/authenticated/{FILES}/{key}", headers=auth)
        assert authenticated.status_code == 200 and authenticated.json()["name"] == key
        private_bucket = await plain.get(f"/object/info/public/{FILES}/{key}")
        assert private_bucket.json()["code"] == "NoSuchBucket"


async def test_range_and_conditional_requests(server: RunningServer, files) -> None:  # type: ignore[no-untyped-def]
    key = f"range/{uuid.uuid4()}.bin"
    data = bytes(range(256)) * 8
    await files.upload(key, data, {"content-type": "application/octet-stream"})
    url = f"{server.api_url}/storage/v1/object/{FILES}/{key}"
    auth = {"apikey": server.service_role_key, "Authorization": f"Bearer {server.service_role_key}"}
    async with httpx.AsyncClient() as plain:
        part = await plain.get(url, headers={**auth, "range": "bytes=10-19"})
        assert part.status_code == 206 and part.content == data[10:20]
        assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
        tail = await plain.get(url, headers={**auth, "range": "bytes=-5"})
        assert tail.content == data[-5:]
        bad = await plain.get(url, headers={**auth, "range": f"bytes={len(data)}-"})
        assert bad.status_code == 416 and bad.json()["code"] == "InvalidRange"
        etag = part.headers["etag"]
        assert (await plain.get(url, headers={**auth, "if-none-match": etag})).status_code == 304
        head = await plain.head(url, headers=auth)
        assert head.status_code == 200 and head.headers["content-length"] == str(len(data)) and head.content == b""


async def test_move_and_copy(files) -> None:  # type: ignore[no-untyped-def]
    key = f"mv/{uuid.uuid4()}.txt"
    await files.upload(key, b"moving", {"content-type": "text/plain"})
    await files.copy(key, f"{key}.copy")
    await files.move(key, f"{key}.moved")
    assert await files.download(f"{key}.copy") == b"moving"
    assert await files.download(f"{key}.moved") == b"moving"
    assert not await files.exists(key)


async def test_missing_object_and_bucket_errors(server: RunningServer, files) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageApiError) as caught:
        await files.download(f"nothing/{uuid.uuid4()}")
    assert caught.value.code == "not_found" and str(caught.value.status) == "404"
    admin = await client_as(server.api_url, server.anon_key, server.service_role_key)
    with pytest.raises(StorageApiError) as missing_bucket:
        await admin.storage.from_("no-such-bucket").upload("x.txt", b"x", {"content-type": "text/plain"})
    assert missing_bucket.value.code == "Bucket not found"
    async with httpx.AsyncClient() as plain:
        response = await plain.post(
            f"{server.api_url}/storage/v1/object/sign/{BUCKET}/x.png",
            content=b"{not json",
            headers={
                "apikey": server.anon_key,
                "Authorization": f"Bearer {server.anon_key}",
                "content-type": "application/json",
            },
        )
    assert response.status_code == 400 and response.json()["code"] == "InvalidRequest"
