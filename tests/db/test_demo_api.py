"""`seed_through_api`: the demo batch through a running project's API (our own `supadesk start` on a
private database), with the service role key only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from tests.conftest import RunningServer, start_server, stop_server
from tests.db.demo_checks import INVARIANTS, NOW, count_broken

from supadesk.database import demo, demo_rows
from supadesk.database.demo_plan import DemoPlanner, Staff, staff_id
from supadesk.database.errors import DatabaseError

# Events the API path cannot date like the direct load (the triggers stamp them with the seeding time).
API_INVARIANTS = {k: v for k, v in INVARIANTS.items() if k != "visitors are anonymous auth users"}


@pytest.fixture
def api_server(scratch_url: str, data_dir: Path, tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(scratch_url, data_dir, tmp_path / "server.log")
    yield running
    stop_server(running)


async def test_seed_through_the_api(api_server: RunningServer) -> None:
    result = await demo.seed_through_api(api_server.api_url, api_server.service_role_key, tickets=40, seed=12, now=NOW)
    again = await demo.seed_through_api(api_server.api_url, api_server.service_role_key, tickets=40, seed=12, now=NOW)
    staff = [Staff(staff_id(email), email, name, role, weight) for email, name, role, weight in demo.STAFF]
    plans = DemoPlanner(seed=12, tickets=40, anchor=int(NOW.timestamp()), staff=staff).next_batch(40)
    planned = {str(row[0]): row for row in (demo_rows.ticket_rows(plan, [], []) for plan, _ in plans)}
    conn = await asyncpg.connect(api_server.db_url)
    try:
        broken = await count_broken(conn, API_INVARIANTS)
        stored = await conn.fetch(
            "select id::text, status, resolved_at, closed_at, first_response_at from public.tickets"
        )
        staff_count = await conn.fetchval("select count(*) from public.users")
    finally:
        await conn.close()
    assert broken == dict.fromkeys(API_INVARIANTS, 0)
    assert len(stored) == 40 and staff_count == len(demo.STAFF)
    for row in stored:  # same story as the direct load, times of resolution included
        plan = dict(zip(demo_rows.TICKET_COLUMNS, planned[row["id"]], strict=True))
        assert (row["status"], row["resolved_at"], row["closed_at"], row["first_response_at"]) == (
            plan["status"],
            plan["resolved_at"],
            plan["closed_at"],
            plan["first_response_at"],
        )
    assert result.counts["tickets"] == 40 and again.already_loaded
    assert sorted(result.staff_created) == sorted(email for email, *_ in demo.STAFF)


async def test_a_wrong_key_is_one_sentence(api_server: RunningServer) -> None:
    with pytest.raises(DatabaseError, match="Invalid API key"):
        await demo.seed_through_api(api_server.api_url, api_server.anon_key + "x", tickets=5, seed=1, now=NOW)
