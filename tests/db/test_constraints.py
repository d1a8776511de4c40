"""Integrity the database enforces for every client: each bad input is refused with its documented
SQLSTATE and constraint (or PTnnn code and detail for the lifecycle rules)."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from tests.db import builders as b
from tests.db.support import rolled_back


async def _world(conn: asyncpg.Connection) -> dict[str, str]:
    agent = await b.agent(conn)
    visitor, customer = await b.visitor(conn)
    ticket = await b.ticket(conn, customer)
    message = await b.message(conn, ticket, "customer", visitor)
    return {"agent": agent, "visitor": visitor, "customer": customer, "ticket": ticket, "message": message}


# (case, statement with :names from the world, SQLSTATE, constraint)
BAD_INPUTS = [
    (
        "subject-empty",
        "insert into public.tickets (customer_id, subject) values (:customer, '')",
        "tickets_subject_length",
    ),
    (
        "subject-blank",
        "insert into public.tickets (customer_id, subject) values (:customer, '   ')",
        "tickets_subject_length",
    ),
    (
        "subject-201-chars",
        "insert into public.tickets (customer_id, subject) values (:customer, repeat('x', 201))",
        "tickets_subject_length",
    ),
    (
        "status-unknown",
        "insert into public.tickets (customer_id, subject, status) values (:customer, 'S', 'archived')",
        "tickets_status_valid",
    ),
    (
        "priority-unknown",
        "insert into public.tickets (customer_id, subject, priority) values (:customer, 'S', 'critical')",
        "tickets_priority_valid",
    ),
    (
        "content-empty",
        "insert into public.messages (ticket_id, sender_type, sender_id, content)"
        " values (:ticket, 'customer', :visitor, '')",
        "messages_content_length",
    ),
    (
        "content-5001-chars",
        "insert into public.messages (ticket_id, sender_type, sender_id, content)"
        " values (:ticket, 'customer', :visitor, repeat('x', 5001))",
        "messages_content_length",
    ),
    (
        "sender-type-unknown",
        "insert into public.messages (ticket_id, sender_type, sender_id, content)"
        " values (:ticket, 'bot', :visitor, 'Hi')",
        "messages_sender_type_valid",
    ),
    (
        "customer-message-without-sender",
        "insert into public.messages (ticket_id, sender_type, content) values (:ticket, 'customer', 'Hi')",
        "messages_sender_present",
    ),
    (
        "customer-email-format",
        "update public.customers set email = 'not-an-email' where id = :customer",
        "customers_email_format",
    ),
    (
        "customer-email-with-space",
        "update public.customers set email = 'a b@example.com' where id = :customer",
        "customers_email_format",
    ),
    ("customer-name-empty", "update public.customers set name = '' where id = :customer", "customers_name_length"),
    ("agent-email-format", "update public.users set email = 'agent@localhost' where id = :agent", "users_email_format"),
    ("agent-role-unknown", "update public.users set role = 'owner' where id = :agent", "users_role_valid"),
    (
        "agent-display-name-empty",
        "update public.users set display_name = '' where id = :agent",
        "users_display_name_length",
    ),
    (
        "attachment-outside-ticket-folder",
        "insert into storage.objects (id, bucket_id, name) values ('00000000-0000-4000-8000-0000000000aa',"
        " 'support-attachments', 'tickets/elsewhere/x.pdf');"
        " insert into public.attachments (ticket_id, message_id, object_id, object_path, file_name, mime_type,"
        " size_bytes)"
        " values (:ticket, :message, '00000000-0000-4000-8000-0000000000aa', 'tickets/elsewhere/x.pdf', 'x.pdf',"
        " 'application/pdf', 1)",
        "attachments_object_in_ticket_folder",
    ),
    (
        "analytics-event-unknown",
        "insert into public.analytics (ticket_id, event_type) values (:ticket, 'exploded')",
        "analytics_event_type_valid",
    ),
]


def _bind(statement: str, world: dict[str, str]) -> str:
    for name, value in world.items():
        statement = statement.replace(f":{name}", f"'{value}'")
    return statement


@pytest.mark.parametrize(("statement", "constraint"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
async def test_bad_input_is_refused(conn: asyncpg.Connection, statement: str, constraint: str) -> None:
    async with rolled_back(conn):
        world = await _world(conn)
        with pytest.raises(asyncpg.CheckViolationError) as refused:
            await conn.execute(_bind(statement, world))
    assert refused.value.sqlstate == "23514"
    assert refused.value.constraint_name == constraint


async def test_limits_themselves_are_accepted(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        world = await _world(conn)
        await b.ticket(conn, world["customer"], subject="s" * 200)
        await b.message(conn, world["ticket"], "customer", world["visitor"], content="c" * 5000)


async def test_a_retried_send_never_duplicates(conn: asyncpg.Connection) -> None:
    client_id = str(uuid.uuid4())
    async with rolled_back(conn):
        world = await _world(conn)
        await b.as_visitor(conn, world["visitor"])
        await b.message(conn, world["ticket"], "customer", world["visitor"], client_id=client_id)
        with pytest.raises(asyncpg.UniqueViolationError) as duplicate:
            async with conn.transaction():
                await b.message(conn, world["ticket"], "customer", world["visitor"], client_id=client_id)
        await b.as_superuser(conn)
        other = await b.ticket(conn, world["customer"])
        await b.message(conn, other, "customer", world["visitor"], client_id=client_id)  # another ticket: fine
    assert duplicate.value.sqlstate == "23505"
    assert duplicate.value.constraint_name == "messages_client_id_per_ticket"


@pytest.mark.parametrize("sender", ["customer", "admin"])
async def test_no_message_on_a_closed_ticket(conn: asyncpg.Connection, sender: str) -> None:
    async with rolled_back(conn):
        world = await _world(conn)
        await conn.execute("update public.tickets set status = 'closed' where id = $1", world["ticket"])
        number = await conn.fetchval("select number from public.tickets where id = $1", world["ticket"])
        user = world["visitor"] if sender == "customer" else world["agent"]
        await (b.as_visitor if sender == "customer" else b.as_agent)(conn, user)
        with pytest.raises(asyncpg.PostgresError) as refused:
            await b.message(conn, world["ticket"], sender, user)
    error = refused.value
    assert (error.sqlstate, error.detail) == ("PT409", "ticket_closed")
    assert error.message == f"Ticket #{number} is closed"


async def test_a_stranger_is_not_told_that_someone_elses_ticket_is_closed(conn: asyncpg.Connection) -> None:
    """Visitor B writing into visitor A's closed ticket gets RLS's refusal, not "Ticket #N is closed":
    the error must not reveal that the ticket exists or its number."""
    async with rolled_back(conn):
        world = await _world(conn)
        await conn.execute("update public.tickets set status = 'closed' where id = $1", world["ticket"])
        stranger, _ = await b.visitor(conn)
        await b.as_visitor(conn, stranger)
        with pytest.raises(asyncpg.PostgresError) as refused:
            await b.message(conn, world["ticket"], "customer", stranger)
    assert refused.value.sqlstate == "42501"
    assert "closed" not in refused.value.message


STATUSES = ("open", "pending", "resolved", "closed")
ALLOWED = {
    ("open", "pending"),
    ("open", "resolved"),
    ("open", "closed"),
    ("pending", "open"),
    ("pending", "resolved"),
    ("pending", "closed"),
    ("resolved", "open"),
    ("resolved", "closed"),
}
TRANSITIONS = [(a, z) for a in STATUSES for z in STATUSES if a != z]


async def _ticket_in(conn: asyncpg.Connection, world: dict[str, str], status: str) -> str:
    path = {"open": [], "pending": ["pending"], "resolved": ["resolved"], "closed": ["closed"]}[status]
    ticket = await b.ticket(conn, world["customer"])
    for step in path:
        await conn.execute("update public.tickets set status = $2 where id = $1", ticket, step)
    return ticket


@pytest.mark.parametrize(("before", "after"), TRANSITIONS, ids=[f"{a}-to-{z}" for a, z in TRANSITIONS])
async def test_status_transition(conn: asyncpg.Connection, before: str, after: str) -> None:
    async with rolled_back(conn):
        world = await _world(conn)
        ticket = await _ticket_in(conn, world, before)
        await b.as_agent(conn, world["agent"])
        if (before, after) in ALLOWED:
            assert (
                await conn.execute("update public.tickets set status = $2 where id = $1", ticket, after) == "UPDATE 1"
            )
            return
        with pytest.raises(asyncpg.PostgresError) as refused:
            await conn.execute("update public.tickets set status = $2 where id = $1", ticket, after)
    assert (refused.value.sqlstate, refused.value.detail) == ("PT409", "invalid_transition")
    assert f"cannot move from {before} to {after}" in refused.value.message
