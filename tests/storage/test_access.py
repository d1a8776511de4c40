"""RLS on storage.objects decides, evaluated as the caller: a visitor only inside their own
tickets' folders, agents everywhere, the anon key nowhere (the attachments migration's policies)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, PNG, Person, client_as

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _stored_by(server: RunningServer, person: Person) -> str:
    bucket = (await client_as(server.api_url, server.anon_key, person.token)).storage.from_(BUCKET)
    path = f"{person.folder()}/{uuid.uuid4()}-private.png"
    await bucket.upload(path, PNG, {"content-type": "image/png"})
    return path


async def _denied(call: object, code: str) -> StorageApiError:
    with pytest.raises(StorageApiError) as caught:
        await call  # type: ignore[misc]
    assert caught.value.code == code
    return caught.value


async def test_visitor_b_cannot_fetch_visitor_a_attachment(
    server: RunningServer, visitor: Person, other_visitor: Person
) -> None:
    path = await _stored_by(server, visitor)
    b = (await client_as(server.api_url, server.anon_key, other_visitor.token)).storage.from_(BUCKET)
    await _denied(b.download(path), "not_found")
    await _denied(b.create_signed_url(path, 60), "not_found")
    await _denied(b.info(path), "not_found")
    assert not await b.exists(path)
    assert await b.list(visitor.folder()) == []
    signed = await b.create_signed_urls([path], 60)
    assert signed[0]["signedURL"] is None


async def test_visitor_b_cannot_write_into_visitor_a_ticket(
    server: RunningServer, visitor: Person, other_visitor: Person, db
) -> None:
    b = (await client_as(server.api_url, server.anon_key, other_visitor.token)).storage.from_(BUCKET)
    target = f"{visitor.folder()}/{uuid.uuid4()}-planted.png"
    error = await _denied(b.upload(target, PNG, {"content-type": "image/png"}), "Unauthorized")
    assert str(error.status) == "403"
    await _denied(b.create_signed_upload_url(target), "Unauthorized")
    assert await db.fetchval("select count(*) from storage.objects where name = $1", target) == 0


async def test_visitor_cannot_overwrite_or_delete_even_own_attachment(server: RunningServer, visitor: Person) -> None:
    path = await _stored_by(server, visitor)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    await _denied(bucket.upload(path, PNG, {"content-type": "image/png"}), "Duplicate")
    await _denied(bucket.upload(path, PNG, {"content-type": "image/png", "upsert": "true"}), "Unauthorized")
    assert await bucket.remove([path]) == []  # no delete policy: silently skipped, as Storage does
    assert await bucket.download(path) == PNG


async def test_agent_reads_every_ticket_folder(server: RunningServer, visitor: Person, agent: Person) -> None:
    path = await _stored_by(server, visitor)
    bucket = (await client_as(server.api_url, server.anon_key, agent.token)).storage.from_(BUCKET)
    assert await bucket.download(path) == PNG
    names = [entry["name"] for entry in await bucket.list(visitor.folder())]
    assert path.rsplit("/", 1)[1] in names


async def test_anon_key_alone_reads_nothing(server: RunningServer, visitor: Person) -> None:
    path = await _stored_by(server, visitor)
    bucket = (await client_as(server.api_url, server.anon_key, None)).storage.from_(BUCKET)
    await _denied(bucket.download(path), "not_found")
    await _denied(bucket.upload(f"{visitor.folder()}/x.png", PNG, {"content-type": "image/png"}), "Unauthorized")


async def test_invalid_access_token_is_refused(server: RunningServer, visitor: Person) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token[:-3] + "abc")).storage.from_(BUCKET)
    await _denied(bucket.list(visitor.folder()), "Unauthorized")


async def test_request_without_project_key_is_refused_but_signed_urls_are_not(
    server: RunningServer, visitor: Person
) -> None:
    path = await _stored_by(server, visitor)
    async with httpx.AsyncClient(base_url=f"{server.api_url}/storage/v1") as plain:
        assert (await plain.get(f"/object/{BUCKET}/{path}")).status_code == 401
        assert (await plain.get(f"/object/sign/{BUCKET}/{path}?token=x")).json()["code"] == "InvalidJWT"
