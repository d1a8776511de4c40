"""The schema cache: reloaded on `NOTIFY pgrst, 'reload schema'`, and relationships as PostgREST
sees them (an embed with two foreign keys to the same table is ambiguous until hinted)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import asyncpg
import pytest
from tests.rest.conftest import World
from tests.rest.helpers import raw

CREATE = """
create table public.rest_probe_handoffs (
  id bigint generated always as identity primary key,
  from_id uuid references public.users (id),
  to_id uuid references public.users (id),
  note text
);
grant select, insert on public.rest_probe_handoffs to service_role;
notify pgrst, 'reload schema';
"""
DROP = "drop table if exists public.rest_probe_handoffs; notify pgrst, 'reload schema';"


def _run(db_url: str, script: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(db_url)
        try:
            await conn.execute(script)
        finally:
            await conn.close()

    asyncio.run(run())


def _wait_for(world: World, path: str, status: int) -> None:
    deadline = time.monotonic() + 10
    while raw(world.server, "GET", path, world.server.service_role_key).status_code != status:
        assert time.monotonic() < deadline, f"{path} never answered {status}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def handoffs(world: World) -> Iterator[World]:
    assert raw(world.server, "GET", "/rest_probe_handoffs", world.server.service_role_key).status_code == 404
    _run(world.server.db_url, CREATE)
    _wait_for(world, "/rest_probe_handoffs", 200)
    yield world
    _run(world.server.db_url, DROP)
    _wait_for(world, "/rest_probe_handoffs", 404)


def test_new_table_appears_after_reload(handoffs: World) -> None:
    agent = str(handoffs.agent.user_id)
    rows = (handoffs.service.table("rest_probe_handoffs").insert({"from_id": agent, "to_id": agent, "note": "hi"})
            .execute().data)
    assert rows[0]["note"] == "hi"


def test_two_foreign_keys_to_one_table_are_ambiguous(handoffs: World) -> None:
    response = raw(handoffs.server, "GET", "/rest_probe_handoffs?select=*,users(*)", handoffs.server.service_role_key)
    assert response.status_code == 300
    body = response.json()
    assert body["code"] == "PGRST201" and len(body["details"]) == 2
    assert "users!rest_probe_handoffs_to_id_fkey" in body["hint"]


def test_hints_pick_the_relationship(handoffs: World) -> None:
    agent = str(handoffs.agent.user_id)
    handoffs.service.table("rest_probe_handoffs").insert({"from_id": agent, "to_id": None, "note": "one way"}).execute()
    rows = (handoffs.service.table("rest_probe_handoffs")
            .select("note,sender:users!rest_probe_handoffs_from_id_fkey(display_name),receiver:to_id(display_name)")
            .eq("note", "one way").execute().data)
    assert rows == [{"note": "one way", "sender": {"display_name": "Agent Smith"}, "receiver": None}]
    inverse = (handoffs.service.table("users").select("id,sent:rest_probe_handoffs!from_id(note)")
               .eq("id", agent).execute().data)
    assert {"note": "one way"} in inverse[0]["sent"]
