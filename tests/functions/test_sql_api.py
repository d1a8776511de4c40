"""The SQL API behind the edge functions (migrations 20261127000700_ticket_api, 20261127000800_rate_limits),
called as visitors and agents inside rolled-back transactions, the way PostgREST runs them."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
from tests.functions.conftest import Db

from supadesk.accounts import NewUser, create_user
from supadesk.server.context import RequestContext
from supadesk.server.db import apply_scope

CREATE = "select public.create_ticket($1, $2, $3, $4, $5)"
ADD = "select public.add_message($1, $2, $3, $4::jsonb)"
STATUS = "select public.update_ticket_status($1, $2)"
CHECK_UPLOAD = "select public.check_attachment_upload($1, $2, $3)"
CONSUME = "select public.consume_rate_limits($1::jsonb)"


def assert_api_error(error: asyncpg.PostgresError, sqlstate: str, code: str, hint: str | None = None) -> None:
    assert (error.sqlstate, error.detail) == (sqlstate, code), f"{error.sqlstate} {error.detail}: {error}"
    if hint is not None:
        assert error.hint == hint


def files(*items: tuple[str, str]) -> str:
    return json.dumps([{"object_path": path, "file_name": name, "mime_type": "image/png"} for path, name in items])


# ---------------------------------------------------------------------------------------------
# create_ticket
# ---------------------------------------------------------------------------------------------


async def test_create_ticket_creates_customer_ticket_and_first_message(db: Db) -> None:
    visitor = await db.visitor()
    result = await db.create_ticket(visitor, "  Printer on fire  ", name="Ann")
    assert result["created"] is True
    ticket, message, customer = result["ticket"], result["message"], result["customer"]
    assert ticket["subject"] == "Printer on fire"
    assert ticket["status"] == "open"
    assert ticket["customer_id"] == customer["id"]
    assert customer["user_id"] == str(visitor.id)
    assert (customer["email"], customer["name"]) == ("ann@example.com", "Ann")
    assert message["ticket_id"] == ticket["id"]
    assert (message["sender_type"], message["sender_id"]) == ("customer", str(visitor.id))
    await db.as_admin()
    events = await db.conn.fetch(
        "select event_type, actor_id from public.analytics where ticket_id = $1 order by id", uuid.UUID(ticket["id"])
    )
    assert [(e["event_type"], e["actor_id"]) for e in events] == [
        ("ticket_created", visitor.id),
        ("message_created", visitor.id),
    ]


async def test_second_ticket_reuses_the_customer_row_with_the_latest_email(db: Db) -> None:
    visitor = await db.visitor()
    first = await db.create_ticket(visitor, name="Ann")
    second = await db.create_ticket(visitor, "Another one", email="ann@work.example.com")
    assert second["customer"]["id"] == first["customer"]["id"]
    assert second["customer"]["email"] == "ann@work.example.com"
    assert second["customer"]["name"] == "Ann"  # not given the second time: kept
    await db.as_admin()
    assert await db.conn.fetchval("select count(*) from public.customers where user_id = $1", visitor.id) == 1


async def test_create_ticket_retry_with_same_client_id_returns_the_first_ticket(db: Db) -> None:
    visitor = await db.visitor()
    client_id = uuid.uuid4()
    first = await db.create_ticket(visitor, client_id=client_id)
    retry = await db.create_ticket(visitor, "Different subject", client_id=client_id)
    assert retry["created"] is False
    assert retry["ticket"]["id"] == first["ticket"]["id"]
    assert retry["message"]["id"] == first["message"]["id"]
    await db.as_admin()
    assert await db.conn.fetchval("select count(*) from public.messages where client_id = $1", client_id) == 1


async def test_another_visitors_client_id_does_not_return_their_ticket(db: Db) -> None:
    ann, bob = await db.visitor(), await db.visitor()
    client_id = uuid.uuid4()
    anns = await db.create_ticket(ann, client_id=client_id)
    bobs = await db.create_ticket(bob, client_id=client_id)
    assert bobs["created"] is True
    assert bobs["ticket"]["id"] != anns["ticket"]["id"]


async def test_create_ticket_validates_every_field(db: Db) -> None:
    visitor = await db.visitor()
    ok = ("Subject", "Message", "ann@example.com", None, None)
    cases = {
        "subject": [("   ",), ("x" * 201,), (None,)],
        "message": [(" \n ",), ("x" * 5001,)],
        "email": [("ann",), ("ann@example",), ("a b@example.com",), ("x" * 320 + "@example.com",)],
        "name": [("x" * 101,)],
    }
    position = {"subject": 0, "message": 1, "email": 2, "name": 3}
    for field, values in cases.items():
        for (value,) in values:
            args = list(ok)
            args[position[field]] = value
            error = await db.fails(visitor, CREATE, *args)
            assert_api_error(error, "PT400", "validation_failed", hint=field)
    await db.as_admin()
    assert await db.conn.fetchval("select count(*) from public.customers where user_id = $1", visitor.id) == 0


async def test_create_ticket_counts_characters_not_bytes(db: Db) -> None:
    visitor = await db.visitor()
    result = await db.create_ticket(visitor, "é" * 200, message="😀" * 5000)
    assert len(result["ticket"]["subject"]) == 200


async def test_create_ticket_needs_a_user(db: Db) -> None:
    error = await db.fails(None, CREATE, "s", "m", "a@b.co", None, None, role="anon")
    assert error.sqlstate == "42501"  # anon has no EXECUTE
    error = await db.fails(None, CREATE, "s", "m", "a@b.co", None, None, role="service_role")
    assert error.sqlstate == "42501"  # the service role has no user to open a ticket for
    error = await db.fails(None, CREATE, "s", "m", "a@b.co", None, None, role="authenticated")  # no sub claim
    assert_api_error(error, "PT401", "not_authenticated")


async def test_create_ticket_backstop_ceiling_for_direct_rpc_calls(db: Db) -> None:
    visitor = await db.visitor()
    for n in range(30):
        await db.create_ticket(visitor, f"Ticket {n}")
    error = await db.fails(visitor, CREATE, "One too many", "m", "a@b.co", None, None)
    assert_api_error(error, "PT429", "rate_limited")
    assert error.hint is not None and 0 < int(error.hint) <= 3600


# ---------------------------------------------------------------------------------------------
# add_message
# ---------------------------------------------------------------------------------------------


async def test_visitor_message_is_a_customer_message_and_agent_message_an_admin_one(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    mine = await db.call(visitor, ADD, ticket_id, "  more details  ", uuid.uuid4(), "[]")
    assert mine["created"] is True
    assert (mine["message"]["sender_type"], mine["message"]["sender_id"]) == ("customer", str(visitor.id))
    assert mine["message"]["content"] == "more details"
    assert mine["attachments"] == []
    reply = await db.call(agent, ADD, ticket_id, "On it", uuid.uuid4(), "[]")
    assert (reply["message"]["sender_type"], reply["message"]["sender_id"]) == ("admin", str(agent.id))
    await db.as_admin()
    assert await db.conn.fetchval("select first_response_at from public.tickets where id = $1", ticket_id) is not None


async def test_add_message_retry_with_same_client_id_stores_one_row(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    client_id = uuid.uuid4()
    first = await db.call(visitor, ADD, ticket_id, "hello", client_id, "[]")
    retry = await db.call(visitor, ADD, ticket_id, "hello (again)", client_id, "[]")
    assert retry["created"] is False
    assert retry["message"] == first["message"]
    await db.as_admin()
    count = await db.conn.fetchval(
        "select count(*) from public.messages where ticket_id = $1 and client_id = $2", ticket_id, client_id
    )
    assert count == 1


async def test_client_id_of_someone_elses_message_conflicts(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    client_id = uuid.uuid4()
    await db.call(visitor, ADD, ticket_id, "hello", client_id, "[]")
    error = await db.fails(agent, ADD, ticket_id, "hijack", client_id, "[]")
    assert_api_error(error, "PT409", "client_id_conflict")


async def test_other_visitor_gets_ticket_not_found_as_for_a_missing_ticket(db: Db) -> None:
    ann, bob = await db.visitor(), await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(ann))["ticket"]["id"])
    await db.create_ticket(bob)
    for target in (ticket_id, uuid.uuid4()):
        error = await db.fails(bob, ADD, target, "let me in", uuid.uuid4(), "[]")
        assert_api_error(error, "PT404", "ticket_not_found")
    await db.as_admin()
    assert await db.conn.fetchval("select count(*) from public.messages where ticket_id = $1", ticket_id) == 1


async def test_no_message_on_a_closed_ticket(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    await db.call(agent, STATUS, ticket_id, "closed")
    for person in (visitor, agent):
        error = await db.fails(person, ADD, ticket_id, "hello?", uuid.uuid4(), "[]")
        assert_api_error(error, "PT409", "ticket_closed")


async def test_add_message_validates_content_and_ids(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    for content in ("", "  \n", "x" * 5001, None):
        error = await db.fails(visitor, ADD, ticket_id, content, uuid.uuid4(), "[]")
        assert_api_error(error, "PT400", "validation_failed", hint="content")
    error = await db.fails(visitor, ADD, ticket_id, "hi", None, "[]")
    assert_api_error(error, "PT400", "validation_failed", hint="client_id")


async def test_message_with_attachments_records_what_storage_stored(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    path = f"tickets/{ticket_id}/{uuid.uuid4()}-shot.png"
    object_id = await db.upload(visitor, path, mimetype="image/png", size=4321)
    body = json.dumps([{"object_path": path, "file_name": "my shot.png", "mime_type": "image/jpeg"}])
    result = await db.call(visitor, ADD, ticket_id, "📎 my shot.png", uuid.uuid4(), body)
    assert result["created"] is True
    [attachment] = result["attachments"]
    assert attachment["message_id"] == result["message"]["id"]
    assert attachment["object_id"] == str(object_id)
    assert (attachment["object_path"], attachment["file_name"]) == (path, "my shot.png")
    assert (attachment["mime_type"], attachment["size_bytes"]) == ("image/png", 4321)  # Storage's record wins


async def test_agent_can_attach_own_upload(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    path = f"tickets/{ticket_id}/{uuid.uuid4()}-invoice.pdf"
    await db.upload(agent, path, mimetype="application/pdf")
    result = await db.call(agent, ADD, ticket_id, "Your invoice", uuid.uuid4(), files((path, "invoice.pdf")))
    assert result["attachments"][0]["mime_type"] == "application/pdf"


async def test_attachment_outside_the_ticket_folder_is_refused(db: Db) -> None:
    ann, bob = await db.visitor(), await db.visitor()
    anns = uuid.UUID((await db.create_ticket(ann))["ticket"]["id"])
    bobs = uuid.UUID((await db.create_ticket(bob))["ticket"]["id"])
    # Bob's own upload, in his own folder, cannot be linked into... his ticket under another path,
    # and Ann cannot link Bob's folder into her ticket.
    bob_path = f"tickets/{bobs}/{uuid.uuid4()}-x.png"
    await db.upload(bob, bob_path)
    for path in (bob_path, f"tickets/{anns}/../{bobs}/x.png", f"tickets/{anns}/sub/x.png", f"tickets/{anns}/", "x.png"):
        error = await db.fails(ann, ADD, anns, "see file", uuid.uuid4(), files((path, "x.png")))
        assert_api_error(error, "PT400", "invalid_attachment_path", hint="attachments[0].object_path")


async def test_attachment_that_was_never_uploaded_is_refused(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    path = f"tickets/{ticket_id}/{uuid.uuid4()}-ghost.png"
    error = await db.fails(visitor, ADD, ticket_id, "ghost", uuid.uuid4(), files((path, "ghost.png")))
    assert_api_error(error, "PT400", "attachment_not_uploaded")


async def test_attachment_uploaded_by_someone_else_is_refused_and_nothing_is_written(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    agents_path = f"tickets/{ticket_id}/{uuid.uuid4()}-agent.png"
    ownerless_path = f"tickets/{ticket_id}/{uuid.uuid4()}-service.png"
    await db.upload(agent, agents_path)
    await db.upload(None, ownerless_path)
    mine = f"tickets/{ticket_id}/{uuid.uuid4()}-mine.png"
    await db.upload(visitor, mine)
    for path in (agents_path, ownerless_path):
        body = files((mine, "mine.png"), (path, "theirs.png"))
        error = await db.fails(visitor, ADD, ticket_id, "two files", uuid.uuid4(), body)
        assert_api_error(error, "PT403", "attachment_not_owned", hint="attachments[1].object_path")
    await db.as_admin()
    assert await db.conn.fetchval("select count(*) from public.messages where ticket_id = $1", ticket_id) == 1
    assert await db.conn.fetchval("select count(*) from public.attachments where ticket_id = $1", ticket_id) == 0


async def test_attachment_cannot_be_linked_twice_or_listed_twice(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    path = f"tickets/{ticket_id}/{uuid.uuid4()}-a.png"
    await db.upload(visitor, path)
    error = await db.fails(visitor, ADD, ticket_id, "dup", uuid.uuid4(), files((path, "a.png"), (path, "a.png")))
    assert_api_error(error, "PT400", "validation_failed", hint="attachments[1].object_path")
    await db.call(visitor, ADD, ticket_id, "first", uuid.uuid4(), files((path, "a.png")))
    error = await db.fails(visitor, ADD, ticket_id, "again", uuid.uuid4(), files((path, "a.png")))
    assert_api_error(error, "PT409", "attachment_already_linked")


async def test_attachment_entries_are_validated(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    path = f"tickets/{ticket_id}/x.png"
    cases = {
        '{"not": "an array"}': "attachments",
        "[1]": "attachments[0]",
        json.dumps([{"object_path": path, "mime_type": "image/png"}]): "attachments[0].file_name",
        files(*[(f"tickets/{ticket_id}/{n}.png", "n.png") for n in range(11)]): "attachments",
    }
    for body, field in cases.items():
        error = await db.fails(visitor, ADD, ticket_id, "files", uuid.uuid4(), body)
        assert_api_error(error, "PT400", "validation_failed", hint=field)


async def test_deleting_the_object_deletes_the_attachment_row(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    path = f"tickets/{ticket_id}/{uuid.uuid4()}-a.png"
    object_id = await db.upload(visitor, path)
    await db.call(visitor, ADD, ticket_id, "file", uuid.uuid4(), files((path, "a.png")))
    await db.as_admin()
    await db.conn.execute("delete from storage.objects where id = $1", object_id)
    assert await db.conn.fetchval("select count(*) from public.attachments where object_id = $1", object_id) == 0


# ---------------------------------------------------------------------------------------------
# update_ticket_status
# ---------------------------------------------------------------------------------------------


async def test_visitor_cannot_change_status(db: Db) -> None:
    visitor = await db.visitor()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    error = await db.fails(visitor, STATUS, ticket_id, "closed")
    assert_api_error(error, "PT403", "forbidden")
    await db.as_admin()
    assert await db.conn.fetchval("select status from public.tickets where id = $1", ticket_id) == "open"


async def test_agent_resolves_then_closes_with_timestamps_and_events(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    resolved = (await db.call(agent, STATUS, ticket_id, "resolved"))["ticket"]
    assert resolved["status"] == "resolved"
    assert resolved["resolved_at"] is not None and resolved["closed_at"] is None
    closed = (await db.call(agent, STATUS, ticket_id, "closed"))["ticket"]
    assert closed["closed_at"] is not None
    await db.as_admin()
    events = await db.conn.fetch(
        "select event_type, actor_id from public.analytics where ticket_id = $1 and event_type <> 'message_created'"
        " and event_type <> 'ticket_created' order by id",
        ticket_id,
    )
    assert [e["event_type"] for e in events] == ["status_changed", "resolved", "status_changed", "closed"]
    assert {e["actor_id"] for e in events} == {agent.id}


async def test_closed_is_final(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    await db.call(agent, STATUS, ticket_id, "closed")
    for status in ("open", "pending", "resolved"):
        error = await db.fails(agent, STATUS, ticket_id, status)
        assert_api_error(error, "PT409", "invalid_transition")


async def test_status_must_be_defined_and_ticket_must_exist(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    for status in ("archived", "OPEN", "", None):
        error = await db.fails(agent, STATUS, ticket_id, status)
        assert_api_error(error, "PT400", "validation_failed", hint="status")
    error = await db.fails(agent, STATUS, uuid.uuid4(), "resolved")
    assert_api_error(error, "PT404", "ticket_not_found")


# ---------------------------------------------------------------------------------------------
# check_attachment_upload
# ---------------------------------------------------------------------------------------------


async def test_upload_check_follows_the_bucket_row(db: Db) -> None:
    visitor, agent = await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(visitor))["ticket"]["id"])
    assert await db.call(visitor, CHECK_UPLOAD, ticket_id, "image/png", 1024) == {
        "bucket": "support-attachments",
        "file_size_limit": 52428800,
    }
    assert (await db.call(agent, CHECK_UPLOAD, ticket_id, "application/pdf", 52428800))["bucket"]
    error = await db.fails(visitor, CHECK_UPLOAD, ticket_id, "application/x-msdownload", 10)
    assert_api_error(error, "PT415", "unsupported_file_type")
    assert_api_error(await db.fails(visitor, CHECK_UPLOAD, ticket_id, "image/png", 52428801), "PT413", "file_too_large")
    assert_api_error(await db.fails(visitor, CHECK_UPLOAD, ticket_id, "image/png", 0), "PT400", "validation_failed")
    # One source of truth: changing the bucket changes the answer.
    await db.as_admin()
    await db.conn.execute(
        "update storage.buckets set allowed_mime_types = array['image/*'], file_size_limit = 100 where id = $1",
        "support-attachments",
    )
    assert await db.call(visitor, CHECK_UPLOAD, ticket_id, "image/heic", 100)
    assert_api_error(await db.fails(visitor, CHECK_UPLOAD, ticket_id, "image/png", 101), "PT413", "file_too_large")
    error = await db.fails(visitor, CHECK_UPLOAD, ticket_id, "application/pdf", 1)
    assert_api_error(error, "PT415", "unsupported_file_type")


async def test_upload_check_denies_other_visitors_and_closed_tickets(db: Db) -> None:
    ann, bob, agent = await db.visitor(), await db.visitor(), await db.agent()
    ticket_id = uuid.UUID((await db.create_ticket(ann))["ticket"]["id"])
    assert_api_error(await db.fails(bob, CHECK_UPLOAD, ticket_id, "image/png", 1), "PT404", "ticket_not_found")
    await db.call(agent, STATUS, ticket_id, "closed")
    for person in (ann, agent):
        assert_api_error(await db.fails(person, CHECK_UPLOAD, ticket_id, "image/png", 1), "PT409", "ticket_closed")


# ---------------------------------------------------------------------------------------------
# consume_rate_limits
# ---------------------------------------------------------------------------------------------


def limit(bucket: str, subject: str, max_hits: int, window: int = 60) -> dict[str, object]:
    return {"bucket": bucket, "subject": subject, "max_hits": max_hits, "window_seconds": window}


async def consume(db: Db, *checks: dict[str, object]) -> dict[str, object]:
    await db.as_(None, "service_role")
    value = await db.conn.fetchval(CONSUME, json.dumps(list(checks)))
    result: dict[str, object] = json.loads(value)
    return result


async def test_rate_limit_allows_max_hits_per_window_then_denies(db: Db) -> None:
    check = limit("test:ip", "203.0.113.1", 2, window=600)
    assert (await consume(db, check))["allowed"] is True
    assert (await consume(db, check))["allowed"] is True
    denied = await consume(db, check)
    assert denied["allowed"] is False
    assert denied["denied"] == ["test:ip"]
    assert isinstance(denied["retry_after"], int) and 590 <= denied["retry_after"] <= 600
    # Another subject has its own counter.
    assert (await consume(db, limit("test:ip", "203.0.113.2", 2)))["allowed"] is True


async def test_rate_limit_window_resets_after_it_expires(db: Db) -> None:
    check = limit("test:ip", "203.0.113.3", 1)
    await consume(db, check)
    assert (await consume(db, check))["allowed"] is False
    await db.as_admin()
    await db.conn.execute(
        "update private.rate_limit_counters set expires_at = now() - interval '1 second' where subject = $1",
        "203.0.113.3",
    )
    assert (await consume(db, check))["allowed"] is True
    await db.as_admin()
    assert await db.conn.fetchval("select hits from private.rate_limit_counters where subject = $1", "203.0.113.3") == 1


async def test_rate_limit_denies_when_any_counter_is_over(db: Db) -> None:
    ip, visitor = limit("test:ip", "203.0.113.4", 5), limit("test:visitor", "v1", 1)
    assert (await consume(db, ip, visitor))["allowed"] is True
    result = await consume(db, ip, visitor)
    assert (result["allowed"], result["denied"]) == (False, ["test:visitor"])
    await db.as_admin()
    assert await db.conn.fetchval("select hits from private.rate_limit_counters where subject = $1", "203.0.113.4") == 2


async def test_rate_limits_are_for_the_service_role_only(db: Db) -> None:
    visitor = await db.visitor()
    error = await db.fails(visitor, CONSUME, '[{"bucket":"b","subject":"s","max_hits":1,"window_seconds":1}]')
    assert error.sqlstate == "42501"
    error = await db.fails(visitor, "select count(*) from private.rate_limit_counters")
    assert error.sqlstate == "42501"
    error = await db.fails(None, CONSUME, "[]", role="service_role")
    assert_api_error(error, "PT400", "validation_failed")
    zero = json.dumps([limit("b", "s", 0)])
    error = await db.fails(None, CONSUME, zero, role="service_role")
    assert_api_error(error, "PT400", "validation_failed")


# ---------------------------------------------------------------------------------------------
# contract
# ---------------------------------------------------------------------------------------------

API = {
    "create_ticket": {"authenticated"},
    "add_message": {"authenticated"},
    "update_ticket_status": {"authenticated"},
    "check_attachment_upload": {"authenticated"},
    "consume_rate_limits": {"service_role"},
}


async def test_api_functions_grants_and_search_path(db: Db) -> None:
    rows = await db.conn.fetch(
        """
        select p.proname, p.prosecdef, p.proconfig,
               array(select r.rolname from pg_roles as r
                     where r.rolname in ('anon', 'authenticated', 'service_role')
                       and has_function_privilege(r.oid, p.oid, 'execute')) as callers
        from pg_proc as p
        where p.pronamespace = 'public'::regnamespace and p.proname = any($1::text[])
        """,
        list(API),
    )
    assert {r["proname"] for r in rows} == set(API)
    for row in rows:
        assert 'search_path=""' in (row["proconfig"] or []), row["proname"]
        assert set(row["callers"]) >= API[row["proname"]], row["proname"]
        assert "anon" not in row["callers"], row["proname"]
        if API[row["proname"]] == {"service_role"}:
            assert "authenticated" not in row["callers"]


async def test_concurrent_sends_with_one_client_id_store_one_message(db_url: str) -> None:
    """Two requests racing with the same client_id: the second waits, then answers as a retry (committed data)."""
    first, second = await asyncpg.connect(db_url), await asyncpg.connect(db_url)
    try:
        visitor_id = (await create_user(first, NewUser(None, None, {}, {}, is_anonymous=True)))["id"]
        claims = {"sub": str(visitor_id), "role": "authenticated", "is_anonymous": True}
        ctx = RequestContext(role="authenticated", claims=claims)
        async with first.transaction():
            await apply_scope(first, ctx)
            ticket = json.loads(await first.fetchval(CREATE, "Race", "m", "a@b.co", None, None))
        ticket_id, client_id = uuid.UUID(ticket["ticket"]["id"]), uuid.uuid4()

        tx1 = first.transaction()
        await tx1.start()
        await apply_scope(first, ctx)
        one = json.loads(await first.fetchval(ADD, ticket_id, "hello", client_id, "[]"))

        async def racer() -> dict[str, object]:
            async with second.transaction():
                await apply_scope(second, ctx)
                result: dict[str, object] = json.loads(await second.fetchval(ADD, ticket_id, "hello", client_id, "[]"))
                return result

        pending = asyncio.create_task(racer())
        await asyncio.sleep(0.3)
        assert not pending.done()  # blocked behind the first transaction
        await tx1.commit()
        two = await asyncio.wait_for(pending, 10)
        assert (one["created"], two["created"]) == (True, False)
        assert two["message"] == one["message"]
        count = await first.fetchval(
            "select count(*) from public.messages where ticket_id = $1 and client_id = $2", ticket_id, client_id
        )
        assert count == 1
    finally:
        await first.close()
        await second.close()
