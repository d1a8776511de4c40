"""Signed URLs through storage3: upload via a signed upload URL, download via a signed URL (no
auth header at all, as a browser <img> would), expiry, and tampered or misused tokens."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid

import httpx
import pytest
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, PNG, Person, client_as

from supadesk.keys import ProjectKeys

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _upload_signed(server: RunningServer, person: Person, data: bytes = PNG, mime: str = "image/png") -> str:
    bucket = (await client_as(server.api_url, server.anon_key, person.token)).storage.from_(BUCKET)
    path = f"{person.folder()}/{uuid.uuid4()}-photo.png"
    signed = await bucket.create_signed_upload_url(path)
    await bucket.upload_to_signed_url(signed["path"], signed["token"], data, {"content-type": mime})
    return path


async def test_upload_via_signed_url_then_download_via_signed_url(server: RunningServer, visitor: Person) -> None:
    path = await _upload_signed(server, visitor)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    signed = await bucket.create_signed_url(path, 60)

    async with httpx.AsyncClient() as plain:  # no apikey, no Authorization: the URL alone grants access
        response = await plain.get(signed["signedURL"])
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"].startswith('"')

    async with httpx.AsyncClient() as plain:
        attachment = await plain.get(signed["signedURL"] + "&download=invoice.png")
    assert attachment.headers["content-disposition"].startswith("attachment;")
    assert "invoice.png" in attachment.headers["content-disposition"]


async def test_signed_upload_records_the_visitor_as_owner(server: RunningServer, visitor: Person, db) -> None:
    path = await _upload_signed(server, visitor)
    row = await db.fetchrow(
        "select owner_id, metadata from storage.objects where bucket_id = $1 and name = $2", BUCKET, path
    )
    metadata = json.loads(row["metadata"])
    assert row["owner_id"] == visitor.user_id
    assert metadata["size"] == len(PNG) and metadata["mimetype"] == "image/png"
    assert set(metadata) >= {
        "eTag",
        "size",
        "mimetype",
        "cacheControl",
        "lastModified",
        "contentLength",
        "httpStatusCode",
    }


async def test_bulk_signed_urls_sign_only_what_the_caller_may_see(
    server: RunningServer, visitor: Person, other_visitor: Person
) -> None:
    mine = await _upload_signed(server, visitor)
    theirs = await _upload_signed(server, other_visitor)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    results = {r["path"]: r for r in await bucket.create_signed_urls([mine, theirs], 60)}
    assert results[mine]["error"] is None and results[mine]["signedURL"]
    assert results[theirs]["signedURL"] is None and results[theirs]["error"]
    async with httpx.AsyncClient() as plain:
        assert (await plain.get(results[mine]["signedURL"])).content == PNG


async def test_expired_signed_url_is_refused(server: RunningServer, visitor: Person) -> None:
    path = await _upload_signed(server, visitor)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    signed = await bucket.create_signed_url(path, 1)
    exp = _claims(signed["signedURL"].split("token=")[1])["exp"]
    await asyncio.sleep(max(0.0, exp + 1 - time.time()))
    async with httpx.AsyncClient() as plain:
        response = await plain.get(signed["signedURL"])
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": "400",
        "code": "ExpiredToken",
        "error": "ExpiredToken",
        "message": "The provided token has expired.",
    }


async def test_expired_upload_token_is_refused(server: RunningServer, visitor: Person, keys: ProjectKeys) -> None:
    path = f"{visitor.folder()}/{uuid.uuid4()}-late.png"
    now = int(time.time())
    token = keys.sign(
        {"url": f"{BUCKET}/{path}", "scope": "upload", "owner": visitor.user_id, "upsert": False,
         "iat": now - 120, "exp": now - 60}
    )  # fmt: skip
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload_to_signed_url(path, token, PNG, {"content-type": "image/png"})
    assert caught.value.code == "ExpiredToken"


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _with_claims(token: str, **changes: object) -> str:
    """The same header and signature around a different payload (a forgery)."""
    header, _, signature = token.split(".")
    payload = base64.urlsafe_b64encode(json.dumps({**_claims(token), **changes}).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


async def test_tampered_tokens_are_refused(server: RunningServer, visitor: Person, other_visitor: Person) -> None:
    mine = await _upload_signed(server, visitor)
    theirs = await _upload_signed(server, other_visitor)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    url = (await bucket.create_signed_url(mine, 60))["signedURL"]
    base, token = url.split("?token=")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    other_url = base.replace(mine, theirs)
    cases = {
        "flipped signature": (f"{base}?token={flipped}", "InvalidJWT"),
        "payload pointed at another object": (
            f"{other_url}?token={_with_claims(token, url=f'{BUCKET}/{theirs}')}",
            "InvalidJWT",
        ),
        "expiry extended": (f"{base}?token={_with_claims(token, exp=int(time.time()) + 10**6)}", "InvalidJWT"),
        "valid token for another path": (f"{other_url}?token={token}", "InvalidSignature"),
        "a user access token": (f"{base}?token={visitor.token}", "InvalidSignature"),
        "garbage": (f"{base}?token=not-a-jwt", "InvalidJWT"),
    }
    async with httpx.AsyncClient() as plain:
        for name, (target, code) in cases.items():
            response = await plain.get(target)
            assert response.status_code == 400, name
            assert response.json()["code"] == code, name
            assert response.content != PNG


async def test_download_token_cannot_upload(server: RunningServer, visitor: Person) -> None:
    path = await _upload_signed(server, visitor)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    token = (await bucket.create_signed_url(path, 60))["signedURL"].split("token=")[1]
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload_to_signed_url(path, token, b"\x89PNG\r\n\x1a\nreplaced", {"content-type": "image/png"})
    assert caught.value.code == "InvalidSignature"
    assert await bucket.download(path) == PNG


async def test_upload_token_is_bound_to_its_path(server: RunningServer, visitor: Person, db) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    signed = await bucket.create_signed_upload_url(f"{visitor.folder()}/{uuid.uuid4()}-a.png")
    elsewhere = f"{visitor.folder()}/{uuid.uuid4()}-b.png"
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload_to_signed_url(elsewhere, signed["token"], PNG, {"content-type": "image/png"})
    assert caught.value.code == "InvalidSignature"
    assert await db.fetchval("select count(*) from storage.objects where name = $1", elsewhere) == 0
