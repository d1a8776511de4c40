"""Writes through supabase-py: insert (single, bulk, columns), upsert, update, delete, the Prefer
options (return, count, missing=default, tx=rollback) and single-object mutations."""

from __future__ import annotations

import uuid

import pytest
from postgrest.exceptions import APIError
from tests.rest.conftest import World
from tests.rest.helpers import raw, sql


@pytest.fixture
def ticket(world: World) -> str:
    """A fresh ticket of visitor A, made with the service role."""
    rows = (world.service.table("tickets").insert({"customer_id": str(world.c.customer_id), "subject": "Fresh"})
            .execute().data)
    return str(rows[0]["id"])


def _message(world: World, ticket: str, content: str = "Hello", **extra: object) -> dict[str, object]:
    return {"ticket_id": ticket, "sender_type": "customer", "sender_id": str(world.c.user_id), "content": content,
            **extra}


def test_insert_single_returns_the_row(world: World, ticket: str) -> None:
    rows = world.c.client.table("messages").insert(_message(world, ticket)).execute().data
    assert len(rows) == 1 and rows[0]["content"] == "Hello" and rows[0]["ticket_id"] == ticket
    assert uuid.UUID(rows[0]["id"]) and rows[0]["created_at"]


def test_insert_bulk_with_columns_and_count(world: World, ticket: str) -> None:
    response = (world.c.client.table("messages")
                .insert([_message(world, ticket, "one"), _message(world, ticket, "two")], count="exact").execute())
    assert [r["content"] for r in response.data] == ["one", "two"] and response.count == 2


def test_insert_minimal_answers_201_without_body(world: World, ticket: str) -> None:
    response = raw(world.server, "POST", "/messages", world.c.token, json=_message(world, ticket, "minimal"),
                   headers={"Prefer": "return=minimal"})
    assert response.status_code == 201 and response.content == b""
    assert sql(world.server.db_url, "select count(*) from public.messages where ticket_id = $1 and content = $2",
               uuid.UUID(ticket), "minimal")[0][0] == 1


def test_insert_headers_only_gives_location(world: World, ticket: str) -> None:
    response = raw(world.server, "POST", "/messages", world.c.token, json=_message(world, ticket, "located"),
                   headers={"Prefer": "return=headers-only"})
    assert response.status_code == 201 and response.content == b""
    assert response.headers["location"].startswith("/messages?id=eq.")


def test_columns_parameter_ignores_other_keys(world: World, ticket: str) -> None:
    body = [_message(world, ticket, "picked", created_at="2000-01-01T00:00:00Z")]
    response = raw(world.server, "POST", '/messages?columns="ticket_id","sender_type","sender_id","content"',
                   world.c.token, json=body, headers={"Prefer": "return=representation"})
    assert response.status_code == 201
    assert not response.json()[0]["created_at"].startswith("2000")


def test_bulk_insert_keys_must_match_without_columns(world: World, ticket: str) -> None:
    body = [_message(world, ticket, "a"), {"ticket_id": ticket, "content": "b"}]
    response = raw(world.server, "POST", "/messages", world.c.token, json=body)
    assert response.status_code == 400 and response.json()["code"] == "PGRST102"


def test_missing_default_uses_column_defaults(world: World, ticket: str) -> None:
    rows = (world.service.table("tickets")
            .insert([{"customer_id": str(world.c.customer_id), "subject": "A", "priority": "high"},
                     {"customer_id": str(world.c.customer_id), "subject": "B"}], default_to_null=False)
            .execute().data)
    assert [r["priority"] for r in rows] == ["high", "normal"]
    with pytest.raises(APIError) as caught:  # without missing=default the absent key is null
        (world.service.table("tickets")
         .insert([{"customer_id": str(world.c.customer_id), "subject": "A", "priority": "high"},
                  {"customer_id": str(world.c.customer_id), "subject": "B"}]).execute())
    assert caught.value.code == "23502"


def test_upsert_merge_and_ignore(world: World) -> None:
    customer = str(world.c.customer_id)
    first = world.service.table("tickets").insert({"customer_id": customer, "subject": "Upsert me"}).execute().data[0]
    merged = (world.service.table("tickets")
              .upsert({"id": first["id"], "customer_id": customer, "subject": "Merged", "priority": "urgent"})
              .execute().data)
    assert merged[0]["id"] == first["id"] and merged[0]["subject"] == "Merged" and merged[0]["priority"] == "urgent"
    ignored = (world.service.table("tickets")
               .upsert({"id": first["id"], "customer_id": customer, "subject": "Ignored"}, ignore_duplicates=True)
               .execute().data)
    assert ignored == []
    assert sql(world.server.db_url, "select subject from public.tickets where id = $1",
               uuid.UUID(first["id"]))[0][0] == "Merged"


def test_upsert_on_conflict_column(world: World, ticket: str) -> None:
    client_id = str(uuid.uuid4())
    message = _message(world, ticket, "idempotent", client_id=client_id)
    world.service.table("messages").insert(message).execute()
    again = (world.service.table("messages").upsert({**message, "content": "retried"},
                                                    on_conflict="ticket_id,client_id", ignore_duplicates=True)
             .execute().data)
    assert again == []
    rows = sql(world.server.db_url, "select content from public.messages where client_id = $1", uuid.UUID(client_id))
    assert [r[0] for r in rows] == ["idempotent"]


def test_update_with_filters_returns_changed_rows(world: World, ticket: str) -> None:
    rows = (world.agent.client.table("tickets").update({"priority": "urgent", "status": "pending"})
            .eq("id", ticket).execute().data)
    assert len(rows) == 1 and rows[0]["priority"] == "urgent" and rows[0]["status"] == "pending"
    minimal = raw(world.server, "PATCH", f"/tickets?id=eq.{ticket}", world.agent.token, json={"priority": "low"})
    assert minimal.status_code == 204 and minimal.content == b""
    assert minimal.headers["content-range"] == "0-0/*"


def test_update_with_embedded_representation(world: World, ticket: str) -> None:
    response = raw(world.server, "PATCH", f"/tickets?id=eq.{ticket}&select=subject,customers(name)",
                   world.agent.token, json={"subject": "Renamed"}, headers={"Prefer": "return=representation"})
    assert response.status_code == 200
    assert response.json() == [{"subject": "Renamed", "customers": {"name": "Visitor"}}]


def test_delete_returns_deleted_rows(world: World, ticket: str) -> None:
    rows = world.service.table("tickets").delete().eq("id", ticket).execute().data
    assert [r["id"] for r in rows] == [ticket]
    assert sql(world.server.db_url, "select count(*) from public.tickets where id = $1", uuid.UUID(ticket))[0][0] == 0


def test_delete_count(world: World) -> None:
    ids = [world.service.table("tickets").insert({"customer_id": str(world.c.customer_id), "subject": "x"})
           .execute().data[0]["id"] for _ in range(2)]
    response = world.service.table("tickets").delete(count="exact").in_("id", ids).execute()
    assert response.count == 2


def test_tx_rollback_answers_but_keeps_nothing(world: World, ticket: str) -> None:
    response = raw(world.server, "POST", "/messages", world.c.token, json=_message(world, ticket, "rolled back"),
                   headers={"Prefer": "return=representation,tx=rollback"})
    assert response.status_code == 201 and response.json()[0]["content"] == "rolled back"
    assert "tx=rollback" in response.headers["preference-applied"]
    assert sql(world.server.db_url, "select count(*) from public.messages where content = 'rolled back'")[0][0] == 0


def test_single_object_mutation_of_many_rows_is_406_and_rolled_back(world: World) -> None:
    customer = str(world.c.customer_id)
    ids = [world.service.table("tickets").insert({"customer_id": customer, "subject": "Twin"}).execute()
           .data[0]["id"] for _ in range(2)]
    response = raw(world.server, "PATCH", f"/tickets?id=in.({','.join(ids)})", world.agent.token,
                   json={"subject": "Changed"},
                   headers={"Accept": "application/vnd.pgrst.object+json", "Prefer": "return=representation"})
    assert response.status_code == 406 and response.json()["code"] == "PGRST116"
    rows = sql(world.server.db_url, "select subject from public.tickets where id = any($1::uuid[])", ids)
    assert [r[0] for r in rows] == ["Twin", "Twin"]


def test_single_object_insert(world: World, ticket: str) -> None:
    row = world.c.client.table("messages").insert(_message(world, ticket, "single")).single().execute()
    assert row.data["content"] == "single"  # type: ignore[index]


def test_unknown_column_in_body_is_pgrst204(world: World, ticket: str) -> None:
    with pytest.raises(APIError) as caught:
        world.c.client.table("messages").insert({**_message(world, ticket), "mood": "happy"}).execute()
    assert caught.value.code == "PGRST204"
    assert caught.value.message == "Could not find the 'mood' column of 'messages' in the schema cache"


def test_empty_patch_changes_nothing(world: World, ticket: str) -> None:
    response = raw(world.server, "PATCH", f"/tickets?id=eq.{ticket}", world.agent.token, json={},
                   headers={"Prefer": "return=representation"})
    assert response.status_code == 200 and response.json() == []


def test_max_affected_with_strict_handling_rolls_back(world: World) -> None:
    customer = str(world.c.customer_id)
    ids = [world.service.table("tickets").insert({"customer_id": customer, "subject": "Capped"}).execute()
           .data[0]["id"] for _ in range(2)]
    with pytest.raises(APIError) as caught:
        world.agent.client.table("tickets").update({"subject": "Too many"}).in_("id", ids).max_affected(1).execute()
    assert caught.value.code == "PGRST124"
    rows = sql(world.server.db_url, "select subject from public.tickets where id = any($1::uuid[])", ids)
    assert [r[0] for r in rows] == ["Capped", "Capped"]
    one = world.agent.client.table("tickets").update({"subject": "Just one"}).eq("id", ids[0]).max_affected(1).execute()
    assert [r["subject"] for r in one.data] == ["Just one"]
