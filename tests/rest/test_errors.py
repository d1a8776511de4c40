"""Errors as PostgREST answers them: `{code, message, details, hint}` and its SQLSTATE → HTTP table,
through the helpdesk's real constraints and triggers; request mistakes are PGRST1xx, never a 500."""

from __future__ import annotations

import uuid

import pytest
from postgrest.exceptions import APIError
from tests.rest.conftest import World
from tests.rest.helpers import raw

ERROR_KEYS = {"code", "message", "details", "hint"}


@pytest.fixture
def ticket(world: World) -> str:
    rows = (world.service.table("tickets").insert({"customer_id": str(world.c.customer_id), "subject": "Errors"})
            .execute().data)
    return str(rows[0]["id"])


def test_unique_violation_is_409(world: World, ticket: str) -> None:
    message = {"ticket_id": ticket, "sender_type": "customer", "sender_id": str(world.c.user_id),
               "content": "twice", "client_id": str(uuid.uuid4())}
    world.c.client.table("messages").insert(message).execute()
    response = raw(world.server, "POST", "/messages", world.c.token, json=message)
    assert response.status_code == 409
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == "23505"
    assert "messages_client_id_per_ticket" in body["message"]


def test_foreign_key_violation_is_409(world: World) -> None:
    response = raw(world.server, "POST", "/tickets", world.server.service_role_key,
                   json={"customer_id": str(uuid.uuid4()), "subject": "Orphan"})
    assert response.status_code == 409 and response.json()["code"] == "23503"


def test_check_violation_is_400(world: World, ticket: str) -> None:
    with pytest.raises(APIError) as caught:
        world.agent.client.table("tickets").update({"priority": "whenever"}).eq("id", ticket).execute()
    assert caught.value.code == "23514"
    response = raw(world.server, "PATCH", f"/tickets?id=eq.{ticket}", world.agent.token, json={"priority": "x"})
    assert response.status_code == 400


def test_invalid_text_representation_is_400(world: World) -> None:
    response = raw(world.server, "GET", "/tickets?id=eq.not-a-uuid", world.c.token)
    assert response.status_code == 400
    assert response.json()["code"] == "22P02"


def test_message_on_closed_ticket_is_409_ticket_closed(world: World, ticket: str) -> None:
    world.agent.client.table("tickets").update({"status": "closed"}).eq("id", ticket).execute()
    response = raw(world.server, "POST", "/messages", world.c.token, json={
        "ticket_id": ticket, "sender_type": "customer", "sender_id": str(world.c.user_id), "content": "Hello?"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "PT409" and body["details"] == "ticket_closed" and body["message"].endswith("is closed")


def test_invalid_status_transition_is_409(world: World, ticket: str) -> None:
    world.agent.client.table("tickets").update({"status": "closed"}).eq("id", ticket).execute()
    with pytest.raises(APIError) as caught:
        world.agent.client.table("tickets").update({"status": "open"}).eq("id", ticket).execute()
    assert caught.value.code == "PT409" and caught.value.details == "invalid_transition"
    assert caught.value.hint == "Closed tickets are final; open a new ticket instead."


def test_undefined_operator_is_404_as_postgrest(world: World) -> None:
    response = raw(world.server, "GET", "/tickets?id=like.abc*", world.c.token)
    assert response.status_code == 404 and response.json()["code"] == "42883"


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("GET", "/tickets?select=id,,subject", {}, 400, "PGRST100"),
    ("GET", "/tickets?order=number.sideways", {}, 400, "PGRST100"),
    ("GET", "/tickets?number=zz.1", {}, 400, "PGRST100"),
    ("GET", "/tickets?limit=ten", {}, 400, "PGRST100"),
    ("GET", "/tickets?or=(number.eq.1", {}, 400, "PGRST100"),
    ("GET", "/tickets?select=nope", {}, 400, "42703"),
    ("GET", "/tickets?messages.order=id", {}, 400, "PGRST108"),
    ("GET", "/nowhere", {}, 404, "PGRST205"),
    ("GET", "/tickets/1", {}, 404, "PGRST125"),
    ("PUT", "/tickets", {"json": {}}, 405, "PGRST117"),
    ("POST", "/rpc/nowhere", {"json": {}}, 404, "PGRST202"),
    ("POST", "/messages", {"content": b'{"content": "unterminated'}, 400, "PGRST102"),
    ("POST", "/messages", {"content": b""}, 400, "PGRST102"),
    ("POST", "/messages", {"json": "just a string"}, 400, "PGRST102"),
    ("PATCH", "/tickets?id=eq.00000000-0000-0000-0000-000000000000", {"json": [{"a": 1}]}, 400, "PGRST102"),
    ("POST", "/messages", {"content": b"<xml/>", "headers": {"Content-Type": "application/xml"}}, 415, "PGRST107"),
])
def test_request_mistakes(world: World, method: str, path: str, kwargs: dict[str, object], status: int,
                          code: str) -> None:
    response = raw(world.server, method, path, world.c.token, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == code
    assert "Traceback" not in response.text


def test_error_shape_through_the_client(world: World) -> None:
    with pytest.raises(APIError) as caught:
        world.c.client.table("nowhere").select("*").execute()
    assert caught.value.code == "PGRST205"
    assert caught.value.message == "Could not find the table 'public.nowhere' in the schema cache"
    assert caught.value.json().keys() == ERROR_KEYS
