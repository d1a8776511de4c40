"""Object keys can never escape the data directory: dot segments, absolute paths, backslashes
and NUL bytes are refused with a clear InvalidKey (400), whatever the encoding, and nothing is
written. (storage3 already refuses dot segments client-side, so these go over raw HTTP.)"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, PNG, Person, client_as

pytestmark = pytest.mark.asyncio(loop_scope="session")

ATTACKS = {
    "encoded dot segments": "tickets/%2e%2e/%2e%2e/%2e%2e/escape.png",
    "encoded slashes around ..": "tickets%2F..%2F..%2Fescape.png",
    "absolute path": "%2Fetc%2Fpasswd",
    "backslashes": "..%5C..%5Cescape.png",
    "NUL byte": "tickets/x.png%00.txt",
    "current-dir segment": "tickets/%2e/x.png",
    "empty segment": "tickets//x.png",
}


@pytest.mark.parametrize("name", list(ATTACKS))
async def test_traversal_keys_are_refused(
    server: RunningServer, visitor: Person, name: str, db, data_dir: Path, tmp_path: Path
) -> None:
    key = ATTACKS[name].replace("tickets", visitor.folder(), 1)
    headers = {"apikey": server.anon_key, "Authorization": f"Bearer {visitor.token}", "content-type": "image/png"}
    url = httpx.URL(f"{server.api_url}/storage/v1/object/{BUCKET}/").copy_with(
        raw_path=f"/storage/v1/object/{BUCKET}/{key}".encode()
    )
    before = {p for p in data_dir.parent.rglob("escape.png")}
    async with httpx.AsyncClient() as plain:
        response = await plain.post(url, content=PNG, headers=headers)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["statusCode"] == "400" and body["code"] == "InvalidKey", body
    assert "Traceback" not in response.text
    assert {p for p in data_dir.parent.rglob("escape.png")} == before
    suspicious = await db.fetchval(
        "select count(*) from storage.objects where name like '%..%' or strpos(name, '\\') > 0"
        " or name like '/%' or name like '%//%' or name like '%/./%'"
    )
    assert suspicious == 0


async def test_traversal_in_signed_download_and_sign_requests(server: RunningServer, visitor: Person) -> None:
    headers = {"apikey": server.anon_key, "Authorization": f"Bearer {visitor.token}"}
    async with httpx.AsyncClient() as plain:
        for raw in (f"/storage/v1/object/sign/{BUCKET}/tickets/%2e%2e/jwt_secret?token=x",
                    f"/storage/v1/object/{BUCKET}/..%5Cjwt_secret"):  # fmt: skip
            url = httpx.URL(server.api_url).copy_with(raw_path=raw.encode())
            response = await plain.get(url, headers=headers)
            assert response.status_code == 400
            assert response.json()["code"] == "InvalidKey"
        url = httpx.URL(server.api_url).copy_with(raw_path=f"/storage/v1/object/sign/{BUCKET}/a/%2e%2e/b".encode())
        response = await plain.post(url, json={"expiresIn": 60}, headers=headers)
        assert response.json()["code"] == "InvalidKey"


async def test_backslash_key_through_the_official_client(server: RunningServer, visitor: Person) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload(f"{visitor.folder()}\\..\\..\\{uuid.uuid4()}.png", PNG, {"content-type": "image/png"})
    assert caught.value.code == "InvalidKey"
    assert "backslash" in caught.value.message


async def test_keys_are_never_file_names_on_disk(server: RunningServer, visitor: Person, storage_dir: Path) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    name = f"{uuid.uuid4()}-recognisable-name.png"
    await bucket.upload(f"{visitor.folder()}/{name}", PNG, {"content-type": "image/png"})
    on_disk = await asyncio.to_thread(lambda: [str(p) for p in storage_dir.rglob("*")])
    assert not any(name in path for path in on_disk)
