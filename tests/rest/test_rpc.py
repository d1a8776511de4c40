"""RPC through supabase-py: named arguments, GET for stable functions in read-only transactions,
set-returning functions filtered like tables, void → 204, scalars → JSON values. Besides the
helpdesk's analytics functions, the module adds a few probe functions (dropped afterwards) and
makes the server pick them up with `NOTIFY pgrst, 'reload schema'`."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from postgrest.exceptions import APIError
from tests.rest.conftest import World
from tests.rest.helpers import raw, sql

PROBES = """
create table public.rest_probe_log (id bigint generated always as identity primary key, note text not null);
create function public.rest_probe_void() returns void language plpgsql as $$ begin end $$;
create function public.rest_probe_add(a integer, b integer default 1) returns integer
  language sql immutable as $$ select a + b $$;
create function public.rest_probe_series(n integer) returns setof integer
  language sql immutable as $$ select generate_series(1, n) $$;
create function public.rest_probe_tags(tags text[]) returns integer
  language sql immutable as $$ select coalesce(array_length(tags, 1), 0) $$;
create function public.rest_probe_body(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
create function public.rest_probe_write(note text) returns bigint language sql volatile
  as $$ insert into public.rest_probe_log (note) values (note) returning id $$;
create function public.rest_probe_raise() returns void language plpgsql as $$
begin
  raise exception 'I refuse!' using detail = 'Pretty simple', hint = 'There is nothing you can do.';
end $$;
create function public.rest_probe_payment() returns void language plpgsql as $$
begin
  raise sqlstate 'PT402' using message = 'Payment Required', detail = 'Quota exceeded';
end $$;
grant select, insert on public.rest_probe_log to service_role;
grant execute on function public.rest_probe_void(), public.rest_probe_add(integer, integer),
  public.rest_probe_series(integer), public.rest_probe_tags(text[]), public.rest_probe_body(jsonb),
  public.rest_probe_write(text), public.rest_probe_raise(), public.rest_probe_payment() to service_role;
notify pgrst, 'reload schema';
"""

DROP = """
drop function if exists public.rest_probe_void(), public.rest_probe_add(integer, integer),
  public.rest_probe_series(integer), public.rest_probe_tags(text[]), public.rest_probe_body(jsonb),
  public.rest_probe_write(text), public.rest_probe_raise(), public.rest_probe_payment();
drop table if exists public.rest_probe_log;
notify pgrst, 'reload schema';
"""


@pytest.fixture(scope="module")
def probes(world: World) -> Iterator[World]:
    import asyncio

    import asyncpg

    async def run(script: str) -> None:
        conn = await asyncpg.connect(world.server.db_url)
        try:
            await conn.execute(script)
        finally:
            await conn.close()

    asyncio.run(run(PROBES))
    deadline = time.monotonic() + 10
    while raw(world.server, "POST", "/rpc/rest_probe_void", world.server.service_role_key).status_code == 404:
        assert time.monotonic() < deadline, "the schema cache was not reloaded on NOTIFY pgrst"
        time.sleep(0.1)
    yield world
    asyncio.run(run(DROP))


def test_named_arguments_and_scalar_result(probes: World) -> None:
    assert probes.service.rpc("rest_probe_add", {"a": 2, "b": 40}).execute().data == 42
    assert probes.service.rpc("rest_probe_add", {"a": 2}).execute().data == 3  # b has a default


def test_get_call_with_query_arguments(probes: World) -> None:
    assert probes.service.rpc("rest_probe_add", {"a": "5", "b": "6"}, get=True).execute().data == 11
    assert probes.service.rpc("rest_probe_tags", {"tags": ["a", "b,c", "d"]}, get=True).execute().data == 3


def test_array_and_single_json_arguments(probes: World) -> None:
    assert probes.service.rpc("rest_probe_tags", {"tags": ["x", "y"]}).execute().data == 2
    body = {"anything": [1, {"nested": True}]}
    assert probes.service.rpc("rest_probe_body", body).execute().data == body


def test_void_is_204(probes: World) -> None:
    response = raw(probes.server, "POST", "/rpc/rest_probe_void", probes.server.service_role_key, json={})
    assert response.status_code == 204 and response.content == b""
    assert "content-type" not in response.headers


def test_set_returning_function_is_filtered_ordered_and_limited(probes: World) -> None:
    response = raw(probes.server, "GET", "/rpc/rest_probe_series?n=10", probes.server.service_role_key)
    assert response.json() == list(range(1, 11))
    response = raw(probes.server, "GET", "/rpc/rest_probe_series?n=10&rest_probe_series=gt.2"
                   "&order=rest_probe_series.desc&limit=3&offset=1", probes.server.service_role_key,
                   headers={"Prefer": "count=exact"})
    assert response.json() == [9, 8, 7] and response.headers["content-range"] == "1-3/8"


def test_volatile_function_through_get_is_read_only(probes: World) -> None:
    with pytest.raises(APIError) as caught:
        probes.service.rpc("rest_probe_write", {"note": "via get"}, get=True).execute()
    assert caught.value.code == "25006"
    assert sql(probes.server.db_url, "select count(*) from public.rest_probe_log")[0][0] == 0
    assert isinstance(probes.service.rpc("rest_probe_write", {"note": "via post"}).execute().data, int)
    assert sql(probes.server.db_url, "select note from public.rest_probe_log")[0][0] == "via post"


def test_raise_exception_is_400_with_the_database_message(probes: World) -> None:
    response = raw(probes.server, "POST", "/rpc/rest_probe_raise", probes.server.service_role_key, json={})
    assert response.status_code == 400
    assert response.json() == {"code": "P0001", "message": "I refuse!", "details": "Pretty simple",
                               "hint": "There is nothing you can do."}


def test_ptnnn_sets_the_status(probes: World) -> None:
    response = raw(probes.server, "POST", "/rpc/rest_probe_payment", probes.server.service_role_key, json={})
    assert response.status_code == 402
    assert response.json()["code"] == "PT402" and response.json()["details"] == "Quota exceeded"


def test_unknown_function_or_arguments_is_pgrst202(probes: World) -> None:
    for fn, args in (("rest_probe_nothing", {}), ("rest_probe_add", {"a": 1, "zzz": 2}), ("rest_probe_add", {})):
        with pytest.raises(APIError) as caught:
            probes.service.rpc(fn, args).execute()
        assert caught.value.code == "PGRST202"


def test_bad_argument_value_is_400(probes: World) -> None:
    with pytest.raises(APIError) as caught:
        probes.service.rpc("rest_probe_add", {"a": "lots"}).execute()
    assert caught.value.code == "22P02"


def test_other_verbs_are_405(probes: World) -> None:
    response = raw(probes.server, "PATCH", "/rpc/rest_probe_void", probes.server.service_role_key, json={})
    assert response.status_code == 405 and response.json()["code"] == "PGRST101"


def test_analytics_for_the_agent(world: World) -> None:
    args = {"range_start": "2000-01-01T00:00:00Z", "range_end": "2100-01-01T00:00:00Z"}
    (metrics,) = world.agent.client.rpc("ticket_metrics", args).execute().data
    assert metrics["new_in_range"] >= len(world.a.tickets) + len(world.b.tickets)
    per_day = world.agent.client.rpc("tickets_per_day", args, get=True).eq("status", "open").order("day").execute()
    assert per_day.data and all(row["status"] == "open" for row in per_day.data)
    limited = world.agent.client.rpc("tickets_per_day", args).select("day,tickets").limit(1).execute().data
    assert len(limited) == 1 and set(limited[0]) == {"day", "tickets"}


def test_analytics_refused_to_visitors(world: World) -> None:
    with pytest.raises(APIError) as caught:
        world.a.client.rpc("ticket_metrics", {"range_start": "2000-01-01", "range_end": "2100-01-01"}).execute()
    assert caught.value.code == "42501" and caught.value.message == "Only support agents can read analytics"
    response = raw(world.server, "POST", "/rpc/ticket_metrics", world.a.token,
                   json={"range_start": "2000-01-01", "range_end": "2100-01-01"})
    assert response.status_code == 403
