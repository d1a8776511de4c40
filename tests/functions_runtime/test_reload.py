"""Editing a function while `supadesk start` runs: the next requests run the new code."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from tests.conftest import RunningServer

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _body_becomes(server: RunningServer, name: str, expected: str) -> None:
    last = ""
    async with httpx.AsyncClient() as plain:
        for _ in range(300):
            response = await plain.post(
                f"{server.api_url}/functions/v1/{name}", headers={"Authorization": f"Bearer {server.anon_key}"}
            )
            last = response.text
            if last == expected:
                return
            await asyncio.sleep(0.1)
    raise AssertionError(f"{name} kept answering {last!r}, never {expected!r}")


async def test_new_and_changed_functions_are_served(functions_server: RunningServer, functions_project: Path) -> None:
    directory = functions_project / "supabase" / "functions" / "fresh"
    directory.mkdir()
    (directory / "index.ts").write_text('Deno.serve(() => new Response("fresh v1"));\n')
    await _body_becomes(functions_server, "fresh", "fresh v1")
    (directory / "index.ts").write_text('Deno.serve(() => new Response("fresh v2"));\n')
    await _body_becomes(functions_server, "fresh", "fresh v2")
