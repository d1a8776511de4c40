"""The demo seed: the rows it bulk-loads with the triggers off are exactly what the triggers would
have written; the loaded data is consistent and has every status and priority; batches, the
non-superuser load and the demo login behave as documented."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import bcrypt
import pytest
from tests.db import builders as b
from tests.db.demo_checks import INVARIANTS, NOW, count_broken
from tests.db.support import rolled_back

from supadesk.database import demo, demo_bulk, demo_rows
from supadesk.database.demo_plan import MSG, DemoPlanner, Staff, TicketPlan, staff_id
from supadesk.database.errors import DatabaseError
from supadesk.database.locate import with_database

ANCHOR = int(NOW.timestamp())
# Our own staff emails: the shared test database may already hold the real demo accounts.
STAFF = [
    Staff(staff_id(f"sd-fd-{name}@example.com"), f"sd-fd-{name}@example.com", name, role, weight)
    for name, role, weight in (("boss", "admin", 0.0), ("ann", "agent", 0.6), ("bob", "agent", 0.4))
]


def _plans(seed: int, tickets: int) -> list[tuple[TicketPlan, Any]]:
    return DemoPlanner(seed=seed, tickets=tickets, anchor=ANCHOR, staff=STAFF).next_batch(tickets)


def _derive(plans: list[tuple[TicketPlan, Any]]) -> tuple[list[Any], list[Any], list[Any]]:
    tickets: list[Any] = []
    messages: list[Any] = []
    events: list[Any] = []
    for plan, _ in plans:
        tickets.append(demo_rows.ticket_rows(plan, messages, events))
    return tickets, messages, events


async def _replay(conn: asyncpg.Connection, plans: list[tuple[TicketPlan, Any]]) -> None:
    """Every action through the real triggers, as its actor (auth.uid()), in time order per ticket."""
    for staff in STAFF:
        await conn.execute(
            "insert into auth.users (id, email, aud, role) values ($1, $2, 'authenticated', 'authenticated')",
            staff.id,
            staff.email,
        )
        await conn.execute(
            "insert into public.users (id, email, display_name, role) values ($1, $2, $3, $4)",
            staff.id,
            staff.email,
            staff.display_name,
            staff.role,
        )
    for plan, new_visitor in plans:
        if new_visitor is not None:
            user, customer = demo_rows.visitor_rows(new_visitor)
            await conn.copy_records_to_table(
                "users", schema_name="auth", records=[user], columns=demo_rows.AUTH_USER_COLUMNS
            )
            await conn.copy_records_to_table("customers", records=[customer], columns=demo_rows.CUSTOMER_COLUMNS)
        created = demo_rows.ts(plan.created)
        await b.claims_only(conn, str(plan.visitor.user_id))
        await conn.execute(
            "insert into public.tickets (id, customer_id, subject, priority, created_at, updated_at, last_message_at)"
            " values ($1, $2, $3, $4, $5, $5, $5)",
            plan.id,
            plan.visitor.customer_id,
            plan.subject,
            plan.priority,
            created,
        )
        for action in plan.actions:
            if action[1] == MSG:
                t, _, sender_type, sender_id, content, message_id, client_id = action
                await b.claims_only(conn, str(sender_id))
                await conn.execute(
                    "insert into public.messages"
                    " (id, ticket_id, sender_type, sender_id, content, client_id, created_at)"
                    " values ($1, $2, $3, $4, $5, $6, $7)",
                    message_id,
                    plan.id,
                    sender_type,
                    sender_id,
                    content,
                    client_id,
                    demo_rows.ts(t),
                )
            else:
                _, _, actor, column, value = action
                await b.claims_only(conn, str(actor))
                await conn.execute(f"update public.tickets set {column} = $2 where id = $1", plan.id, value)


# Events whose time the trigger takes from the row; the others take now(), which a replay cannot fake.
TIMED_BY_ROW = {"ticket_created", "message_created", "first_response"}


def _comparable(event: tuple[Any, ...]) -> tuple[Any, ...]:
    ticket_id, event_type, actor, data, occurred_at = event
    data = json.loads(data) if isinstance(data, str) else data
    if event_type == "resolved":
        data = sorted(data)  # seconds since creation, counted to now() in the replay
    return (
        str(ticket_id),
        event_type,
        str(actor) if actor else None,
        data,
        occurred_at if event_type in TIMED_BY_ROW else None,
    )


async def test_bulk_rows_equal_what_the_triggers_write(conn: asyncpg.Connection) -> None:
    plans = _plans(seed=90_210, tickets=60)
    tickets, messages, events = _derive(plans)
    ids = [plan.id for plan, _ in plans]
    async with rolled_back(conn):
        await _replay(conn, plans)
        db_events = await conn.fetch(
            "select ticket_id, event_type, actor_id, data, occurred_at from public.analytics"
            " where ticket_id = any($1::uuid[]) order by id",
            ids,
        )
        db_messages = await conn.fetch(
            f"select {', '.join(demo_rows.MESSAGE_COLUMNS)} from public.messages where ticket_id = any($1::uuid[])", ids
        )
        db_tickets = {
            r["id"]: r for r in await conn.fetch("select * from public.tickets where id = any($1::uuid[])", ids)
        }
    assert [_comparable(tuple(e)) for e in db_events] == [_comparable(e) for e in events]
    assert sorted(map(tuple, db_messages), key=str) == sorted(messages, key=str)
    for row in tickets:
        replayed = db_tickets[row[0]]
        expected = dict(zip(demo_rows.TICKET_COLUMNS, row, strict=True))
        for column in ("status", "priority", "assignee_id", "created_at", "last_message_at", "first_response_at"):
            assert replayed[column] == expected[column], (column, row[0])
        for column in ("resolved_at", "closed_at"):
            assert (replayed[column] is None) == (expected[column] is None), (column, row[0])


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    first, again, other = _derive(_plans(5, 80)), _derive(_plans(5, 80)), _derive(_plans(6, 80))
    assert first == again
    assert first[0] != other[0]


def test_nothing_happens_after_the_clock() -> None:
    for plan, _ in _plans(11, 300):
        times = [a[0] for a in plan.actions]
        assert times == sorted(set(times)), "actions are strictly ordered"
        assert plan.created <= times[0] and times[-1] <= ANCHOR
        assert plan.created >= ANCHOR - 90 * 86_400


# -- the bulk load into a scratch database ------------------------------------------------------


async def test_seeded_data_is_consistent(scratch_url: str) -> None:
    result = await demo.seed_demo(scratch_url, tickets=200, seed=7, now=NOW)
    conn = await asyncpg.connect(scratch_url)
    try:
        broken = await count_broken(conn, INVARIANTS)
        statuses = dict(await conn.fetch("select status, count(*) from public.tickets group by 1"))
        priorities = {r[0] for r in await conn.fetch("select distinct priority from public.tickets")}
        reopened = await conn.fetchval("select count(*) from public.analytics where event_type = 'reopened'")
        counts = {
            t: await conn.fetchval(f"select count(*) from public.{t}")
            for t in ("customers", "tickets", "messages", "analytics")
        }
    finally:
        await conn.close()
    assert broken == dict.fromkeys(INVARIANTS, 0)
    assert set(statuses) == {"open", "pending", "resolved", "closed"}
    assert priorities == {"low", "normal", "high", "urgent"}
    assert reopened > 0
    assert statuses == result.statuses
    assert {k: result.counts[k] for k in counts} == counts
    assert counts["messages"] > 5 * counts["tickets"]


async def test_demo_admin_can_sign_in_and_agents_exist(scratch_url: str) -> None:
    result = await demo.seed_demo(scratch_url, tickets=20, seed=3, now=NOW)
    conn = await asyncpg.connect(scratch_url)
    try:
        admin = await conn.fetchrow(
            "select a.encrypted_password, a.email_confirmed_at, u.role,"
            " (select count(*) from auth.identities i where i.user_id = a.id and i.provider = 'email') as identities"
            " from auth.users a join public.users u on u.id = a.id where a.email = $1",
            demo.ADMIN_EMAIL,
        )
        agents = await conn.fetchval("select count(*) from public.users where role = 'agent'")
    finally:
        await conn.close()
    assert admin is not None and admin["role"] == "admin" and admin["identities"] == 1
    assert admin["email_confirmed_at"] is not None
    assert bcrypt.checkpw(demo.DEMO_PASSWORD.encode(), admin["encrypted_password"].encode())
    assert agents == len(demo.STAFF) - 1
    assert f"{demo.ADMIN_EMAIL} / {demo.DEMO_PASSWORD}" in result.summary()


async def test_triggers_work_again_after_the_load(scratch_url: str) -> None:
    await demo.seed_demo(scratch_url, tickets=50, seed=5, now=NOW)
    conn = await asyncpg.connect(scratch_url)
    try:
        disabled = await conn.fetchval(
            "select count(*) from pg_trigger where not tgisinternal and tgenabled <> 'O'"
            " and tgrelid in ('public.tickets'::regclass, 'public.messages'::regclass)"
        )
        ticket, visitor = await conn.fetchrow(
            "select t.id, c.user_id from public.tickets t join public.customers c on c.id = t.customer_id"
            " where t.status = 'open' limit 1"
        )
        async with rolled_back(conn):
            await b.as_visitor(conn, str(visitor))
            await b.message(conn, str(ticket), "customer", str(visitor))
            await b.as_superuser(conn)
            last, logged = await conn.fetchrow(
                "select t.last_message_at, (select count(*) from public.analytics a where a.ticket_id = t.id"
                " and a.occurred_at = now()) from public.tickets t where t.id = $1",
                ticket,
            )
            now = await conn.fetchval("select now()")
    finally:
        await conn.close()
    assert disabled == 0
    assert (last, logged) == (now, 1)


async def test_same_seed_twice_changes_nothing_another_seed_adds_a_batch(scratch_url: str) -> None:
    first = await demo.seed_demo(scratch_url, tickets=30, seed=1, now=NOW)
    again = await demo.seed_demo(scratch_url, tickets=30, seed=1, now=NOW)
    second = await demo.seed_demo(scratch_url, tickets=30, seed=2, now=NOW)
    conn = await asyncpg.connect(scratch_url)
    try:
        tickets = await conn.fetchval("select count(*) from public.tickets")
        staff = await conn.fetchval("select count(*) from public.users")
    finally:
        await conn.close()
    assert not first.already_loaded and again.already_loaded and not second.already_loaded
    assert "already loaded" in again.summary()
    assert (tickets, staff) == (60, len(demo.STAFF))
    assert second.staff_created == []


async def test_clock_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPADESK_DEMO_NOW", "2026-01-02T03:04:05+00:00")
    assert demo.resolve_anchor() == int(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp())
    monkeypatch.setenv("SUPADESK_DEMO_NOW", "yesterday")
    with pytest.raises(DatabaseError, match="not an ISO 8601 timestamp"):
        demo.resolve_anchor()
    monkeypatch.setenv("SUPADESK_DEMO_NOW", "2026-01-02T03:04:05")
    with pytest.raises(DatabaseError, match="needs a time zone"):
        demo.resolve_anchor()
    assert demo.resolve_anchor(NOW + timedelta(seconds=1)) == ANCHOR + 1


# -- without superuser rights ---------------------------------------------------------------------


async def _role(scratch_url: str, owner: bool) -> tuple[str, str]:
    role = f"sd_fd_{'owner' if owner else 'writer'}_{os.getpid()}"
    conn = await asyncpg.connect(scratch_url)
    try:
        if not await conn.fetchval("select exists (select 1 from pg_roles where rolname = $1)", role):
            await conn.execute(f"create role {role} login nosuperuser bypassrls")  # like Supabase's postgres
        await conn.execute(f"""
            grant usage on schema auth to {role};
            grant select, insert, update on auth.users, auth.identities to {role};
            grant select, insert on public.users, public.customers, public.analytics to {role};
            grant insert, select on public.tickets, public.messages to {role};
            grant usage on all sequences in schema public to {role};
        """)
        if owner:
            await conn.execute(
                f"alter table public.tickets owner to {role}; alter table public.messages owner to {role}"
            )
    finally:
        await conn.close()
    return role, with_database(scratch_url.replace("postgres@", f"{role}@"), scratch_url.rsplit("/", 1)[-1])


async def _drop_role(url: str, role: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"reassign owned by {role} to postgres; drop owned by {role}; drop role if exists {role}")
    finally:
        await conn.close()


async def test_table_owner_without_superuser_can_seed(scratch_url: str) -> None:
    role, url = await _role(scratch_url, owner=True)
    try:
        result = await demo.seed_demo(url, tickets=40, seed=9, now=NOW)
        conn = await asyncpg.connect(scratch_url)
        try:
            disabled = await conn.fetchval(
                "select count(*) from pg_trigger where not tgisinternal and tgenabled <> 'O'"
                " and tgrelid in ('public.tickets'::regclass, 'public.messages'::regclass)"
            )
            broken = await count_broken(conn, INVARIANTS)
        finally:
            await conn.close()
    finally:
        await _drop_role(scratch_url, role)
    assert result.trigger_bypass.endswith("disable trigger user")
    assert disabled == 0
    assert broken == dict.fromkeys(INVARIANTS, 0)


async def test_neither_superuser_nor_owner_gets_one_clear_sentence(scratch_url: str) -> None:
    role, url = await _role(scratch_url, owner=False)
    try:
        with pytest.raises(DatabaseError, match=r"needs a superuser or the owner of public\.tickets"):
            await demo.seed_demo(url, tickets=10, seed=9, now=NOW)
    finally:
        await _drop_role(scratch_url, role)


# -- large loads: keys and indexes are dropped and rebuilt ------------------------------------------

CATALOG = """
select 'constraint', conrelid::regclass::text, conname::text, pg_get_constraintdef(oid),
       obj_description(oid, 'pg_constraint'), convalidated::text
from pg_constraint where connamespace = 'public'::regnamespace
union all
select 'index', indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid),
       obj_description(indexrelid, 'pg_class'), indisvalid::text
from pg_index where indrelid in (select oid from pg_class where relnamespace = 'public'::regnamespace)
order by 1, 2, 3
"""


async def test_deferred_keys_and_indexes_come_back_exactly(scratch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[demo_bulk.Deferred] = []
    original = demo_bulk.defer_indexes

    async def spy(conn: asyncpg.Connection, incoming: int) -> demo_bulk.Deferred:
        seen.append(await original(conn, incoming))
        return seen[-1]

    monkeypatch.setattr(demo_bulk, "DEFER_FROM", 10)
    monkeypatch.setattr(demo_bulk, "defer_indexes", spy)
    conn = await asyncpg.connect(scratch_url)
    try:
        await conn.execute("comment on index public.tickets_created_at_idx is 'kept across the load'")
        before = [tuple(r) for r in await conn.fetch(CATALOG)]
        await demo.seed_demo(scratch_url, tickets=60, seed=21, now=NOW)
        after = [tuple(r) for r in await conn.fetch(CATALOG)]
        broken = await count_broken(conn, INVARIANTS)
    finally:
        await conn.close()
    assert seen and seen[0].keys and seen[0].foreign_keys and seen[0].indexes
    assert after == before
    assert broken == dict.fromkeys(INVARIANTS, 0)
