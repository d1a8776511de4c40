"""The bucket API through storage3: the service role manages buckets; RLS on storage.buckets (no
policies, as on Supabase) hides them from everyone else."""

from __future__ import annotations

import uuid

import pytest
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, Person, client_as

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_attachments_bucket_comes_from_the_migration(server: RunningServer) -> None:
    admin = await client_as(server.api_url, server.anon_key, server.service_role_key)
    bucket = await admin.storage.get_bucket(BUCKET)
    assert bucket.public is False
    assert bucket.file_size_limit == 50 * 1024 * 1024
    assert "image/png" in (bucket.allowed_mime_types or []) and "text/html" not in (bucket.allowed_mime_types or [])


async def test_bucket_lifecycle(server: RunningServer) -> None:
    admin = (await client_as(server.api_url, server.anon_key, server.service_role_key)).storage
    name = f"sd-st-{uuid.uuid4().hex[:8]}"
    assert await admin.create_bucket(name, options={"public": True, "file_size_limit": 1000}) == {"name": name}
    with pytest.raises(StorageApiError) as duplicate:
        await admin.create_bucket(name)
    assert duplicate.value.code == "Duplicate"
    await admin.update_bucket(name, {"public": False, "allowed_mime_types": ["text/plain"], "file_size_limit": 2000})
    bucket = await admin.get_bucket(name)
    assert (bucket.public, bucket.allowed_mime_types, bucket.file_size_limit) == (False, ["text/plain"], 2000)
    await admin.from_(name).upload("a.txt", b"hello", {"content-type": "text/plain"})
    with pytest.raises(StorageApiError) as not_empty:
        await admin.delete_bucket(name)
    assert str(not_empty.value.status) == "409"
    assert await admin.empty_bucket(name) == {"message": "Successfully emptied"}
    assert await admin.delete_bucket(name) == {"message": "Successfully deleted"}
    with pytest.raises(StorageApiError) as gone:
        await admin.get_bucket(name)
    assert gone.value.code == "Bucket not found"


async def test_visitors_cannot_see_or_create_buckets(server: RunningServer, visitor: Person) -> None:
    storage = (await client_as(server.api_url, server.anon_key, visitor.token)).storage
    assert await storage.list_buckets() == []
    with pytest.raises(StorageApiError) as caught:
        await storage.create_bucket(f"sd-st-{uuid.uuid4().hex[:8]}")
    assert caught.value.code == "Unauthorized"


async def test_public_bucket_objects_need_no_key(server: RunningServer) -> None:
    import httpx

    admin = (await client_as(server.api_url, server.anon_key, server.service_role_key)).storage
    name = f"sd-st-pub-{uuid.uuid4().hex[:8]}"
    await admin.create_bucket(name, options={"public": True})
    await admin.from_(name).upload("logo.txt", b"public", {"content-type": "text/plain"})
    url = await admin.from_(name).get_public_url("logo.txt")
    async with httpx.AsyncClient() as plain:
        assert (await plain.get(url)).content == b"public"
        info = await plain.get(f"{server.api_url}/storage/v1/object/info/public/{name}/logo.txt")
        assert info.status_code == 200 and info.json()["size"] == len(b"public")
        private_url = url.replace(name, BUCKET)
        assert (await plain.get(private_url)).json()["code"] == "NoSuchBucket"
