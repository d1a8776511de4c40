"""RLS through the API: visitor A never sees or changes visitor B's rows, the agent sees all, and
the anon key alone reads nothing. Every "denied" case also checks the database is unchanged."""

from __future__ import annotations

import uuid

import pytest
from postgrest.exceptions import APIError
from tests.rest.conftest import World
from tests.rest.helpers import raw, sql


def _count(world: World, query: str, *args: object) -> int:
    return int(sql(world.server.db_url, query, *args)[0][0])


@pytest.mark.parametrize(("table", "own"), [
    ("customers", lambda p: [str(p.customer_id)]),
    ("tickets", lambda p: p.tickets),
    ("messages", lambda p: p.messages),
    ("attachments", lambda p: p.attachments),
])
def test_visitor_sees_only_own_rows(world: World, table: str, own: object) -> None:
    for visitor, other in ((world.a, world.b), (world.b, world.a)):
        seen = {r["id"] for r in visitor.client.table(table).select("id").execute().data}
        assert seen == set(own(visitor))  # type: ignore[operator]
        by_id = visitor.client.table(table).select("*").in_("id", own(other)).execute().data  # type: ignore[operator]
        assert by_id == []


def test_visitor_cannot_reach_others_rows_through_embeds(world: World) -> None:
    rows = world.a.client.table("customers").select("id,tickets(id,messages(id),attachments(id))").execute().data
    (customer,) = rows
    assert {t["id"] for t in customer["tickets"]} == set(world.a.tickets)
    embedded_messages = {m["id"] for t in customer["tickets"] for m in t["messages"]}
    assert embedded_messages == set(world.a.messages)


def test_agent_sees_everything(world: World) -> None:
    expected = {
        "tickets": world.a.tickets + world.b.tickets,
        "messages": world.a.messages + world.b.messages,
        "attachments": world.a.attachments + world.b.attachments,
        "customers": [str(world.a.customer_id), str(world.b.customer_id)],
    }
    for table, ids in expected.items():
        seen = {r["id"] for r in world.agent.client.table(table).select("id").in_("id", ids).execute().data}
        assert seen == set(ids)


def test_visitor_cannot_read_agents_or_analytics(world: World) -> None:
    assert world.a.client.table("users").select("*").execute().data == []
    assert world.a.client.table("analytics").select("*").execute().data == []


@pytest.mark.parametrize("table", ["tickets", "messages", "customers", "attachments", "users", "analytics"])
def test_anon_key_alone_reads_nothing(world: World, table: str) -> None:
    with pytest.raises(APIError) as caught:
        world.anon.table(table).select("*").execute()
    assert caught.value.code == "42501"
    response = raw(world.server, "GET", f"/{table}")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_visitor_cannot_update_others_customer_row(world: World) -> None:
    rows = world.a.client.table("customers").update({"name": "Hacked"}).eq("id", str(world.b.customer_id)).execute()
    assert rows.data == []
    assert _count(world, "select count(*) from public.customers where name = 'Hacked'") == 0


def test_visitor_cannot_update_tickets(world: World) -> None:
    for ticket in (world.b.tickets[0], world.a.tickets[0]):
        rows = world.a.client.table("tickets").update({"status": "closed"}).eq("id", ticket).execute().data
        assert rows == []
    assert _count(world, "select count(*) from public.tickets where id = any($1::uuid[]) and status = 'closed'",
                  [world.b.tickets[0], world.a.tickets[0]]) == 0


@pytest.mark.parametrize("table", ["tickets", "messages", "customers", "attachments"])
def test_visitor_cannot_delete(world: World, table: str) -> None:
    own = {"tickets": world.a.tickets, "messages": world.a.messages, "customers": [str(world.a.customer_id)],
           "attachments": world.a.attachments}[table]
    with pytest.raises(APIError) as caught:
        world.a.client.table(table).delete().in_("id", [*own, str(uuid.uuid4())]).execute()
    assert caught.value.code == "42501"
    assert _count(world, f"select count(*) from public.{table} where id = any($1::uuid[])", own) == len(own)


def _insert_message(world: World, **fields: object) -> APIError:
    body = {"ticket_id": world.a.tickets[0], "sender_type": "customer", "sender_id": str(world.a.user_id),
            "content": f"forged {uuid.uuid4()}", **fields}
    with pytest.raises(APIError) as caught:
        world.a.client.table("messages").insert(body).execute()
    assert _count(world, "select count(*) from public.messages where content = $1", body["content"]) == 0
    return caught.value


def test_visitor_cannot_post_into_others_ticket(world: World) -> None:
    error = _insert_message(world, ticket_id=world.b.tickets[0])
    assert error.code == "42501" and "row-level security" in (error.message or "")


def test_visitor_cannot_forge_sender_type_admin(world: World) -> None:
    assert _insert_message(world, sender_type="admin").code == "42501"


def test_visitor_cannot_forge_sender_id(world: World) -> None:
    assert _insert_message(world, sender_id=str(world.b.user_id)).code == "42501"


def test_visitor_cannot_forge_created_at(world: World) -> None:
    error = _insert_message(world, created_at="2000-01-01T00:00:00Z")
    assert error.code == "42501" and error.message == "permission denied for table messages"


def test_visitor_cannot_write_attachments(world: World) -> None:
    with pytest.raises(APIError) as caught:
        world.a.client.table("attachments").update({"file_name": "x.exe"}).eq("id", world.b.attachments[0]).execute()
    assert caught.value.code == "42501"
    assert _count(world, "select count(*) from public.attachments where file_name = 'x.exe'") == 0


def test_forbidden_is_403_for_a_user(world: World) -> None:
    response = raw(world.server, "DELETE", f"/tickets?id=eq.{world.b.tickets[0]}", world.a.token)
    assert response.status_code == 403 and response.json()["code"] == "42501"


def test_agent_replies_and_changes_status(world: World) -> None:
    ticket = world.c.tickets[0]
    reply = (world.agent.client.table("messages")
             .insert({"ticket_id": ticket, "sender_type": "admin", "sender_id": str(world.agent.user_id),
                      "content": "We are on it"}).execute().data)
    assert reply[0]["sender_type"] == "admin"
    updated = world.agent.client.table("tickets").update({"status": "pending"}).eq("id", ticket).execute().data
    assert updated[0]["status"] == "pending" and updated[0]["first_response_at"] is not None
    seen_by_c = world.c.client.table("messages").select("content").eq("ticket_id", ticket).execute().data
    assert {"content": "We are on it"} in seen_by_c
    assert world.a.client.table("messages").select("id").eq("ticket_id", ticket).execute().data == []
