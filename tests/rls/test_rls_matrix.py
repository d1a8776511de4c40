"""Runs every case of the RLS matrix (tests/rls/matrix.py): install the world as the superuser, act as
the case's actor with the statement the server runs (`apply_scope`), try the statement, compare,
roll everything back."""

from __future__ import annotations

import asyncpg
import pytest
from tests.db.support import act_as, rolled_back
from tests.rls.matrix import EXPECTED, Affects, Case, Denied, Outcome, Refused, See, cases
from tests.rls.world import ACTORS, MAIN_ACTORS, NAME_OF, WORLD_SQL

CASES = cases()


async def observe(conn: asyncpg.Connection, case: Case) -> Outcome:
    async with rolled_back(conn):
        await conn.execute(WORLD_SQL)
        await act_as(conn, ACTORS[case.actor], method="GET" if case.op == "select" else "POST")
        if case.topic is not None:
            await conn.execute("select set_config('realtime.topic', $1, true)", case.topic)
        try:
            async with conn.transaction():
                if case.op == "select":
                    rows = await conn.fetch(case.sql)
                    return See(frozenset(NAME_OF[r[0]] for r in rows if r[0] in NAME_OF))
                status = await conn.execute(case.sql)
                return Affects(int(status.split()[-1]))
        except asyncpg.PostgresError as exc:
            if exc.sqlstate == "42501":
                fragment = "row-level security" if "row-level security" in str(exc) else "permission denied"
                return Denied(exc.sqlstate, fragment)
            return Refused(exc.sqlstate or "", getattr(exc, "detail", None) or "")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_rls_case(conn: asyncpg.Connection, case: Case) -> None:
    assert await observe(conn, case) == case.expect, case.sql


def test_matrix_covers_every_table_actor_and_operation() -> None:
    tables = {
        "users",
        "customers",
        "tickets",
        "messages",
        "attachments",
        "analytics",
        "storage.objects",
        "realtime.messages",
    }
    assert set(EXPECTED) == tables
    for table, ops in EXPECTED.items():
        assert set(ops) == {"select", "insert", "update", "delete"}, table
        for op, by_actor in ops.items():
            assert set(by_actor) == set(MAIN_ACTORS), (table, op)
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"


async def test_world_is_invisible_outside_its_transaction(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        await conn.execute(WORLD_SQL)
    assert await conn.fetchval("select count(*) from public.tickets where subject = 'A needs help'") == 0
