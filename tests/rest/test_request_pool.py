"""A request connection never runs SQL under an earlier request's identity.

`RequestPool` keeps each request's role and claims as session settings (two round trips per
single-statement request instead of four), so the same connection serves caller after caller. On a
one-connection pool, every request here follows one by somebody else, and must see only its own
identity, its own read-only flag, and nothing left over from a failed or rolled-back request.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from supadesk.server.context import RequestContext, context_from_claims
from supadesk.server.db import RequestPool

_WHO = "select current_user::text, auth.uid()::text, auth.email(), auth.role(), current_setting('request.method')"


def visitor(email: str = "") -> RequestContext:
    claims = {"sub": str(uuid.uuid4()), "role": "authenticated", "email": email, "is_anonymous": not email}
    return context_from_claims(claims, method="POST", path="/messages")


ANON = context_from_claims({"role": "anon"}, method="GET", path="/tickets")


@pytest.fixture
async def one_connection(db_url: str) -> AsyncIterator[RequestPool]:
    pool = await RequestPool.open(db_url, min_size=1, max_size=1)
    try:
        yield pool
    finally:
        await pool.close()


async def who(pool: RequestPool, ctx: RequestContext, *, readonly: bool = True) -> tuple[str, ...]:
    async with pool.statement(ctx, readonly=readonly) as conn:
        row = await conn.fetchrow(_WHO)
    assert row is not None
    return tuple(row)


async def test_each_request_sees_only_its_own_identity(one_connection: RequestPool) -> None:
    alice, bob = visitor("alice@example.com"), visitor()
    assert await who(one_connection, alice) == (
        "authenticated",
        alice.user_id,
        "alice@example.com",
        "authenticated",
        "POST",
    )
    # bob's token carries an empty email (an anonymous visitor): alice's must not linger in auth.email()
    assert await who(one_connection, bob) == ("authenticated", bob.user_id, "", "authenticated", "POST")
    assert await who(one_connection, ANON) == ("anon", None, None, "anon", "GET")


async def test_a_read_only_request_cannot_write_and_the_next_writer_can(one_connection: RequestPool) -> None:
    service = context_from_claims({"role": "service_role"}, method="GET", path="/customers")
    async with one_connection.statement(service, readonly=True) as conn:
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await conn.execute("create temporary table leftover (id int)")
    writer = context_from_claims({"role": "service_role"}, method="POST", path="/customers")
    async with one_connection.statement(writer, readonly=False) as conn:
        await conn.execute("create temporary table written (id int)")
        await conn.execute("drop table written")


async def test_nothing_survives_a_failed_or_rolled_back_request(one_connection: RequestPool) -> None:
    alice = visitor("alice@example.com")
    with pytest.raises(asyncpg.DivisionByZeroError):
        async with one_connection.transaction(alice, readonly=False) as conn:
            await conn.execute("select set_config('request.jwt.claim.sub', $1, false)", str(uuid.uuid4()))
            await conn.execute("select 1 / 0")
    # the connection was handed back mid-transaction: the next caller gets a clean one as itself
    assert await who(one_connection, ANON) == ("anon", None, None, "anon", "GET")


async def test_a_privileged_request_does_not_leak_its_role(one_connection: RequestPool) -> None:
    service = context_from_claims({"role": "service_role"}, method="GET", path="/tickets")
    assert (await who(one_connection, service))[0] == "service_role"
    async with one_connection.statement(ANON, readonly=True) as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("select id from public.tickets limit 1")
