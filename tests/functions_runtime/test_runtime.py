"""The functions runtime behind `/functions/v1`, through supabase-py's `functions.invoke` (and raw
HTTP where the client hides what is checked): routing, verify_jwt, headers, streamed bodies in
both directions, the environment, timeouts, errors and the supervisor."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from supabase import AsyncClientOptions, acreate_client
from supabase_functions.errors import FunctionsHttpError
from tests.conftest import RunningServer
from tests.functions_runtime.conftest import TIMEOUT_S, runtime_pids

from supadesk.keys import ProjectKeys

pytestmark = pytest.mark.asyncio(loop_scope="session")


def user_token(keys: ProjectKeys, *, ttl: int = 3600) -> str:
    now = int(time.time())
    return keys.sign({"sub": str(uuid.uuid4()), "role": "authenticated", "aud": "authenticated", "iat": now,
                      "exp": now + ttl, "is_anonymous": True, "session_id": str(uuid.uuid4())})  # fmt: skip


async def invoke(server: RunningServer, name: str, token: str | None = None, **options: object) -> object:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = await acreate_client(server.api_url, server.anon_key, AsyncClientOptions(headers=headers))
    return await client.functions.invoke(name, invoke_options=dict(options))


async def test_invoke_passes_body_method_path_and_caller_headers(functions_server: RunningServer, keys) -> None:
    token = user_token(keys)
    result = await invoke(
        functions_server, "echo/sub/path?x=1", token, body={"hello": "world"}, headers={"x-custom": "kept"},
        responseType="json",
    )  # fmt: skip
    echoed = json.loads(result) if isinstance(result, bytes | str) else result
    assert echoed["method"] == "POST"
    assert echoed["path"] == "/echo/sub/path" and echoed["search"] == "?x=1"
    assert json.loads(echoed["body"]) == {"hello": "world"}
    headers = echoed["headers"]
    assert headers["authorization"] == f"Bearer {token}"
    assert headers["apikey"] == functions_server.anon_key
    assert headers["x-custom"] == "kept" and headers["content-type"] == "application/json"
    assert headers["x-client-info"].startswith("supabase-py")
    assert not any(name.startswith("x-supadesk-") for name in headers)


async def test_client_cannot_choose_its_ip(functions_server: RunningServer) -> None:
    """x-real-ip is the TCP peer whatever the client claims; x-forwarded-for gets the peer appended."""
    async with httpx.AsyncClient() as plain:
        response = await plain.post(
            f"{functions_server.api_url}/functions/v1/echo",
            headers={
                "Authorization": f"Bearer {functions_server.anon_key}",
                "x-real-ip": "6.6.6.6",
                "x-forwarded-for": "7.7.7.7",
            },
        )
    headers = response.json()["headers"]
    assert headers["x-real-ip"] == "127.0.0.1"
    assert headers["x-forwarded-for"] == "7.7.7.7, 127.0.0.1"


async def test_environment_is_what_supabase_provides(functions_server: RunningServer) -> None:
    echoed = json.loads(await invoke(functions_server, "echo", functions_server.anon_key))  # type: ignore[arg-type]
    env = echoed["env"]
    assert env["SUPABASE_URL"] == functions_server.api_url
    assert env["SUPABASE_ANON_KEY"] == functions_server.anon_key
    assert env["SUPABASE_SERVICE_ROLE_KEY"] == functions_server.service_role_key
    assert env["SUPABASE_DB_URL"] == functions_server.db_url
    assert env["SD_ST_SECRET"] == "from dotenv"  # supabase/functions/.env
    assert env["SUPADESK_SD_ST_SETTING"] == "passed through"
    assert env["SD_ST_SENTINEL"] is None  # the rest of the server's environment stays out
    assert env["SUPADESK_JWT_SECRET"] is None and env["SUPADESK_FUNCTIONS_PRELOAD"] is None


async def test_verify_jwt_is_applied_per_function(functions_server: RunningServer, keys: ProjectKeys) -> None:
    url = f"{functions_server.api_url}/functions/v1"
    expired = user_token(keys, ttl=-60)
    forged = ProjectKeys("another-secret-another-secret-another-secret").sign({"role": "service_role"})
    async with httpx.AsyncClient() as plain:
        cases = {
            "no header": ({}, "Error: Missing authorization header"),
            "not bearer": ({"Authorization": "Basic abc"}, "Error: Auth header is not 'Bearer {token}'"),
            "garbage": ({"Authorization": "Bearer nope"}, "Invalid JWT"),
            "expired": ({"Authorization": f"Bearer {expired}"}, "Invalid JWT"),
            "other secret": ({"Authorization": f"Bearer {forged}"}, "Invalid JWT"),
        }
        for case, (headers, message) in cases.items():
            response = await plain.post(f"{url}/echo", headers=headers)
            assert response.status_code == 401, case
            assert response.json() == {"msg": message}, case
        assert (
            await plain.post(f"{url}/echo", headers={"Authorization": f"Bearer {functions_server.anon_key}"})
        ).status_code == 200
        assert (
            await plain.post(f"{url}/echo", headers={"Authorization": f"Bearer {user_token(keys)}"})
        ).status_code == 200
        public = await plain.post(f"{url}/public-hook")  # verify_jwt = false: no header needed
        assert (public.status_code, public.text) == (200, "hook ok")
        preflight = await plain.options(f"{url}/echo", headers={"Origin": "http://site.test",
                                                                 "Access-Control-Request-Method": "POST"})  # fmt: skip
        assert preflight.status_code == 204 and preflight.headers["x-from"] == "echo"  # the function answered


async def test_unknown_disabled_and_shared_names_are_not_found(functions_server: RunningServer) -> None:
    for name in ("no-such-function", "disabled-fn", "_shared"):
        with pytest.raises(FunctionsHttpError) as caught:
            await invoke(functions_server, name, functions_server.anon_key)
        assert caught.value.status == 404
        assert caught.value.message == "Function not found"


async def test_request_body_is_streamed_to_the_function(functions_server: RunningServer) -> None:
    chunk = os.urandom(256 * 1024)
    count = 40  # 10 MiB

    async def body() -> AsyncIterator[bytes]:
        for _ in range(count):
            yield chunk

    async with httpx.AsyncClient(timeout=60) as plain:
        response = await plain.post(
            f"{functions_server.api_url}/functions/v1/hash-body",
            content=body(),
            headers={
                "Authorization": f"Bearer {functions_server.anon_key}",
                "content-type": "application/octet-stream",
            },
        )
    result = response.json()
    assert result["bytes"] == len(chunk) * count
    assert result["sha256"] == hashlib.sha256(chunk * count).hexdigest()
    assert result["chunks"] > 1


async def test_response_body_is_streamed_back(functions_server: RunningServer) -> None:
    gate = uuid.uuid4().hex
    url = f"{functions_server.api_url}/functions/v1/stream"
    headers = {"Authorization": f"Bearer {functions_server.anon_key}"}
    async with httpx.AsyncClient(timeout=10) as plain:
        async with plain.stream("GET", url, params={"id": gate}, headers=headers) as response:
            lines = response.aiter_lines()
            # "second" is only written after the release below: reading "first" now proves streaming.
            assert await asyncio.wait_for(lines.__anext__(), 10) == "first"
            released = await plain.get(f"{url}/release", params={"id": gate}, headers=headers)
            assert released.text == "released"
            assert await asyncio.wait_for(lines.__anext__(), 10) == "second"


async def test_default_export_fetch_style_is_served(functions_server: RunningServer) -> None:
    assert await invoke(functions_server, "default-export", functions_server.anon_key, method="PUT") == (
        b"default export answered PUT"
    )


async def test_slow_function_hits_the_invocation_timeout(functions_server: RunningServer) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT_S * 10) as plain:
        response = await plain.post(
            f"{functions_server.api_url}/functions/v1/slow",
            headers={"Authorization": f"Bearer {functions_server.anon_key}"},
        )
    assert response.status_code == 546
    assert response.json()["code"] == "WORKER_LIMIT"
    with pytest.raises(FunctionsHttpError) as caught:
        await invoke(functions_server, "slow", functions_server.anon_key)
    assert caught.value.status == 546


async def test_function_errors_are_500_without_internals(functions_server: RunningServer) -> None:
    async with httpx.AsyncClient() as plain:
        crash = await plain.post(
            f"{functions_server.api_url}/functions/v1/crash",
            headers={"Authorization": f"Bearer {functions_server.anon_key}"},
        )
        broken = await plain.post(
            f"{functions_server.api_url}/functions/v1/broken",
            headers={"Authorization": f"Bearer {functions_server.anon_key}"},
        )
    assert crash.status_code == 500 and crash.json()["code"] == "WORKER_ERROR"
    assert broken.status_code == 503 and broken.json()["code"] == "BOOT_ERROR"
    for response in (crash, broken):
        assert "kaboom" not in response.text and "at " not in response.text and ".ts" not in response.text
    # ...while the other functions keep working
    assert (await invoke(functions_server, "public-hook")) == b"hook ok"


async def test_killed_runtime_is_restarted_and_the_next_call_succeeds(functions_server: RunningServer) -> None:
    assert await invoke(functions_server, "public-hook") == b"hook ok"
    before = runtime_pids(functions_server)
    assert len(before) == 1
    os.kill(before[0], signal.SIGKILL)
    assert await invoke(functions_server, "public-hook") == b"hook ok"
    after = runtime_pids(functions_server)
    assert len(after) == 1 and after != before
