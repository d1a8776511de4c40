"""The reporting functions behind the dashboard, on a small known dataset (January 2001, which no
other test uses): exact numbers for agents and the service role, 42501 for everyone else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest
from tests.db import builders as b
from tests.db.support import act_as, claims_for, rolled_back

JAN = (datetime(2001, 1, 1, tzinfo=UTC), datetime(2001, 2, 1, tzinfo=UTC))
H = timedelta(hours=1)
# created, first response after, resolved after, final status
DATASET = [
    (datetime(2001, 1, 1, 10, tzinfo=UTC), 1 * H, 5 * H, "resolved"),
    (datetime(2001, 1, 2, 9, tzinfo=UTC), 3 * H, None, "open"),
    (datetime(2001, 1, 8, 12, tzinfo=UTC), None, None, "pending"),
    (datetime(2001, 1, 9, 8, tzinfo=UTC), 2 * H, 10 * H, "closed"),
]


async def _load(conn: asyncpg.Connection) -> str:
    """The dataset; returns an agent's id."""
    agent = await b.agent(conn)
    visitor, customer = await b.visitor(conn)
    for created, first, resolved, status in DATASET:
        ticket = await b.ticket(conn, customer, created_at=created, updated_at=created, last_message_at=created)
        await b.message(conn, ticket, "customer", visitor, created_at=created)
        if first is not None:
            await b.message(conn, ticket, "admin", agent, created_at=created + first)
        if status != "open":
            await conn.execute(
                "update public.tickets set status = $2 where id = $1",
                ticket,
                "resolved" if status == "closed" else status,
            )
        if status == "closed":
            await conn.execute("update public.tickets set status = 'closed' where id = $1", ticket)
        if resolved is not None:  # the trigger stamps now(); put the known time in its place
            await conn.execute("update public.tickets set resolved_at = $2 where id = $1", ticket, created + resolved)
    return agent


async def _metrics(conn: asyncpg.Connection) -> asyncpg.Record:
    row = await conn.fetchrow("select * from public.ticket_metrics($1, $2)", *JAN)
    assert row is not None
    return row


async def test_metric_cards(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        await act_as(conn, claims_for("service_role"))
        before = await _metrics(conn)
        await b.as_superuser(conn)
        agent = await _load(conn)
        await act_as(conn, claims_for("authenticated", agent))
        after = await _metrics(conn)
    assert after["open_tickets"] - before["open_tickets"] == 2  # open + pending, counted now
    assert after["new_today"] == before["new_today"]
    assert after["new_in_range"] == 4
    assert after["avg_first_response_seconds"] == pytest.approx(2 * 3600)  # (1h + 3h + 2h) / 3
    assert after["median_first_response_seconds"] == pytest.approx(2 * 3600)
    assert after["avg_resolution_seconds"] == pytest.approx(7.5 * 3600)  # (5h + 10h) / 2
    assert after["median_resolution_seconds"] == pytest.approx(7.5 * 3600)
    assert after["resolved_share"] == pytest.approx(0.5)


async def test_series(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent = await _load(conn)
        await act_as(conn, claims_for("authenticated", agent))
        per_day = [tuple(r) for r in await conn.fetch("select * from public.tickets_per_day($1, $2)", *JAN)]
        first = [tuple(r) for r in await conn.fetch("select * from public.first_response_per_week($1, $2)", *JAN)]
        resolution = [tuple(r) for r in await conn.fetch("select * from public.resolution_time_per_week($1, $2)", *JAN)]
    assert per_day == [
        (date(2001, 1, 1), "resolved", 1),
        (date(2001, 1, 2), "open", 1),
        (date(2001, 1, 8), "pending", 1),
        (date(2001, 1, 9), "closed", 1),
    ]
    assert first == [(date(2001, 1, 1), 7200.0, 7200.0, 2), (date(2001, 1, 8), 7200.0, 7200.0, 1)]
    assert resolution == [(date(2001, 1, 1), 18000.0, 18000.0, 1), (date(2001, 1, 8), 36000.0, 36000.0, 1)]


FUNCTIONS = ["ticket_metrics", "tickets_per_day", "first_response_per_week", "resolution_time_per_week"]


@pytest.mark.parametrize("function", FUNCTIONS)
async def test_visitors_may_not_read_analytics(conn: asyncpg.Connection, function: str) -> None:
    async with rolled_back(conn):
        visitor, _ = await b.visitor(conn)
        await act_as(conn, claims_for("authenticated", visitor, anonymous=True))
        with pytest.raises(asyncpg.InsufficientPrivilegeError) as refused:
            await conn.fetch(f"select * from public.{function}($1, $2)", *JAN)
    assert refused.value.sqlstate == "42501"
    assert refused.value.message == "Only support agents can read analytics"


@pytest.mark.parametrize("function", FUNCTIONS)
async def test_anon_may_not_call_analytics(conn: asyncpg.Connection, function: str) -> None:
    async with rolled_back(conn):
        await act_as(conn, claims_for("anon"))
        with pytest.raises(asyncpg.InsufficientPrivilegeError) as refused:
            await conn.fetch(f"select * from public.{function}($1, $2)", *JAN)
    assert refused.value.sqlstate == "42501"
    assert "permission denied for function" in refused.value.message
