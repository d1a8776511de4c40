"""The four edge functions through `supadesk start` and the official Python client (supabase-py
`functions.invoke`, storage3), as the widget and the dashboard use them."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest
from supabase_functions.errors import FunctionsHttpError
from tests.conftest import RunningServer
from tests.functions.conftest import Actor, People

# A real 1x1 PNG: Storage checks the bytes against the declared type.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
BUCKET = "support-attachments"
TICKET = {"subject": "Printer on fire", "message": "It is really on fire.", "email": "ann@example.com"}
FUNCTIONS = ("create-ticket", "add-message", "update-ticket-status", "get-signed-url")


def invoke(actor: Actor, function: str, body: dict[str, Any]) -> Any:
    """supabase-py's functions.invoke, parsed as JSON."""
    return actor.client.functions.invoke(function, invoke_options={"body": body, "responseType": "json"})


def invoke_error(actor: Actor, function: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The status and `error` object of a call that must fail (supabase-py raises FunctionsHttpError)."""
    with pytest.raises(FunctionsHttpError) as info:
        invoke(actor, function, body)
    error = info.value.message
    assert isinstance(error, dict), error
    assert set(error) >= {"code", "message"}
    return info.value.status, error


def new_ticket(actor: Actor, **extra: Any) -> dict[str, Any]:
    response = actor.post("create-ticket", {**TICKET, **extra})
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


def close(agent: Actor, ticket_id: str) -> None:
    assert (
        invoke(agent, "update-ticket-status", {"ticket_id": ticket_id, "status": "closed"})["ticket"]["status"]
        == "closed"
    )


def upload(actor: Actor, ticket_id: str, name: str = "shot.png", data: bytes = PNG) -> str:
    """get-signed-url (upload) then storage3's upload_to_signed_url; returns the object path."""
    signed = invoke(
        actor,
        "get-signed-url",
        {"action": "upload", "ticket_id": ticket_id, "file_name": name, "mime_type": "image/png", "size": len(data)},
    )
    actor.client.storage.from_(BUCKET).upload_to_signed_url(
        signed["path"], signed["token"], data, {"content-type": "image/png"}
    )
    path: str = signed["path"]
    return path


def attachment(path: str, name: str = "shot.png") -> dict[str, str]:
    return {"object_path": path, "file_name": name, "mime_type": "image/png"}


# ---------------------------------------------------------------------------------------------
# every function
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", FUNCTIONS)
def test_cors_preflight_is_answered_without_a_token(server: RunningServer, function: str) -> None:
    response = httpx.options(
        f"{server.api_url}/functions/v1/{function}",
        headers={
            "Origin": "https://shop.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, x-client-info, apikey, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    for header in ("authorization", "x-client-info", "apikey", "content-type"):
        assert header in response.headers["access-control-allow-headers"]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_anon_key_is_not_a_session(server: RunningServer, function: str) -> None:
    response = httpx.post(
        f"{server.api_url}/functions/v1/{function}",
        json={},
        headers={"apikey": server.anon_key, "Authorization": f"Bearer {server.anon_key}"},
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_errors_are_json_with_code_and_message(people: People, function: str) -> None:
    visitor = people.visitor()
    response = httpx.post(
        f"{visitor.api_url}/functions/v1/{function}",
        content=b"{not json",
        headers={
            "apikey": visitor.anon_key,
            "Authorization": f"Bearer {visitor.token}",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid_json", "message": "The request body must be a JSON object"}}
    assert (
        httpx.get(
            f"{visitor.api_url}/functions/v1/{function}",
            headers={"apikey": visitor.anon_key, "Authorization": f"Bearer {visitor.token}"},
        ).json()["error"]["code"]
        == "method_not_allowed"
    )


# ---------------------------------------------------------------------------------------------
# create-ticket
# ---------------------------------------------------------------------------------------------


def test_anonymous_visitor_opens_a_ticket_end_to_end(server: RunningServer) -> None:
    """The widget's flow: anonymous sign-in, create-ticket, then read the ticket back through RLS."""
    from supabase import ClientOptions, create_client

    client = create_client(server.api_url, server.anon_key, options=ClientOptions(persist_session=False))
    session = client.auth.sign_in_anonymously()
    assert session.user is not None
    result = client.functions.invoke(
        "create-ticket", invoke_options={"body": {**TICKET, "name": "Ann"}, "responseType": "json"}
    )
    assert result["customer"]["user_id"] == session.user.id
    assert (result["message"]["sender_type"], result["message"]["sender_id"]) == ("customer", session.user.id)
    rows = client.table("tickets").select("id, subject, status").execute().data
    assert rows == [{"id": result["ticket"]["id"], "subject": "Printer on fire", "status": "open"}]


def test_create_ticket_answers_201_with_ticket_message_and_customer(people: People) -> None:
    visitor = people.visitor()
    response = visitor.post("create-ticket", {**TICKET, "subject": "  Printer on fire  ", "name": "Ann"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"ticket", "message", "customer"}
    assert body["ticket"]["subject"] == "Printer on fire"
    assert body["ticket"]["status"] == "open"
    assert body["message"]["ticket_id"] == body["ticket"]["id"]
    assert body["message"]["content"] == TICKET["message"]
    assert (body["customer"]["user_id"], body["customer"]["name"]) == (str(visitor.id), "Ann")


def test_create_ticket_retry_with_same_client_id_returns_the_same_ticket(people: People) -> None:
    visitor = people.visitor()
    client_id = str(uuid.uuid4())
    first = visitor.post("create-ticket", {**TICKET, "client_id": client_id})
    retry = visitor.post("create-ticket", {**TICKET, "client_id": client_id})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["ticket"]["id"] == first.json()["ticket"]["id"]
    assert len(visitor.client.table("tickets").select("id").execute().data) == 1


VALIDATION_CASES = [
    ({"subject": None}, "subject", "is required"),
    ({"subject": "   "}, "subject", "must be 1-200 characters"),
    ({"subject": "x" * 201}, "subject", "must be 1-200 characters"),
    ({"message": ""}, "message", "must be 1-5000 characters"),
    ({"message": "x" * 5001}, "message", "must be 1-5000 characters"),
    ({"email": "ann"}, "email", "must be a valid email address"),
    ({"email": "ann@example"}, "email", "must be a valid email address"),
    ({"email": None}, "email", "is required"),
    ({"name": "x" * 101}, "name", "must be 1-100 characters"),
    ({"client_id": "not-a-uuid"}, "client_id", "must be a UUID"),
]


@pytest.mark.parametrize(("change", "field", "problem"), VALIDATION_CASES)
def test_create_ticket_validation(people: People, change: dict[str, Any], field: str, problem: str) -> None:
    visitor = people.visitor()
    body = {k: v for k, v in {**TICKET, **change}.items() if v is not None}
    status, error = invoke_error(visitor, "create-ticket", body)
    assert (status, error["code"]) == (400, "validation_failed")
    assert error["details"] == {field: problem}
    assert visitor.client.table("tickets").select("id").execute().data == []


# ---------------------------------------------------------------------------------------------
# add-message
# ---------------------------------------------------------------------------------------------


def test_visitor_and_agent_messages_get_their_sender_type_from_the_caller(people: People) -> None:
    visitor, agent = people.visitor(), people.agent()
    ticket_id = new_ticket(visitor)["id"]
    mine = visitor.post(
        "add-message",
        {"ticket_id": ticket_id, "content": "More details", "client_id": str(uuid.uuid4()), "sender_type": "admin"},
    )
    assert mine.status_code == 201
    assert (mine.json()["message"]["sender_type"], mine.json()["message"]["sender_id"]) == ("customer", str(visitor.id))
    assert mine.json()["attachments"] == []
    reply = invoke(agent, "add-message", {"ticket_id": ticket_id, "content": "On it", "client_id": str(uuid.uuid4())})
    assert (reply["message"]["sender_type"], reply["message"]["sender_id"]) == ("admin", str(agent.id))


def test_retried_add_message_stores_one_row(people: People) -> None:
    visitor = people.visitor()
    ticket_id = new_ticket(visitor)["id"]
    body = {"ticket_id": ticket_id, "content": "Are you there?", "client_id": str(uuid.uuid4())}
    first, retry = visitor.post("add-message", body), visitor.post("add-message", body)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["message"] == first.json()["message"]
    rows = (
        visitor.client.table("messages")
        .select("id")
        .eq("ticket_id", ticket_id)
        .eq("client_id", body["client_id"])
        .execute()
    )
    assert len(rows.data) == 1


def test_visitor_cannot_write_into_another_visitors_ticket(people: People) -> None:
    ann, bob = people.visitor(), people.visitor()
    anns = new_ticket(ann)["id"]
    for ticket_id in (anns, str(uuid.uuid4())):  # someone else's and a missing one look the same
        status, error = invoke_error(
            bob, "add-message", {"ticket_id": ticket_id, "content": "hi", "client_id": str(uuid.uuid4())}
        )
        assert (status, error["code"]) == (404, "ticket_not_found")
    assert len(ann.client.table("messages").select("id").eq("ticket_id", anns).execute().data) == 1


def test_no_message_on_a_closed_ticket(people: People) -> None:
    visitor, agent = people.visitor(), people.agent()
    ticket_id = new_ticket(visitor)["id"]
    close(agent, ticket_id)
    for actor in (visitor, agent):
        status, error = invoke_error(
            actor, "add-message", {"ticket_id": ticket_id, "content": "hi", "client_id": str(uuid.uuid4())}
        )
        assert (status, error["code"]) == (409, "ticket_closed")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "hi", "client_id": "x"}, "client_id"),
        ({"content": "hi", "client_id": None}, "client_id"),
        ({"content": ""}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"content": "hi", "attachments": "x"}, "attachments"),
        ({"content": "hi", "attachments": [{"object_path": "a"}]}, "attachments[0].file_name"),
    ],
)
def test_add_message_validation(people: People, body: dict[str, Any], field: str) -> None:
    visitor = people.visitor()
    ticket_id = new_ticket(visitor)["id"]
    request = {
        k: v for k, v in {"ticket_id": ticket_id, "client_id": str(uuid.uuid4()), **body}.items() if v is not None
    }
    status, error = invoke_error(visitor, "add-message", request)
    assert (status, error["code"]) == (400, "validation_failed")
    assert field in error["details"]


# ---------------------------------------------------------------------------------------------
# update-ticket-status
# ---------------------------------------------------------------------------------------------


def test_visitor_cannot_change_a_status(people: People) -> None:
    visitor = people.visitor()
    ticket_id = new_ticket(visitor)["id"]
    status, error = invoke_error(visitor, "update-ticket-status", {"ticket_id": ticket_id, "status": "closed"})
    assert (status, error["code"]) == (403, "forbidden")
    assert visitor.client.table("tickets").select("status").eq("id", ticket_id).execute().data == [{"status": "open"}]


def test_agent_resolves_and_closes_a_ticket(people: People) -> None:
    visitor, agent = people.visitor(), people.agent()
    ticket_id = new_ticket(visitor)["id"]
    resolved = invoke(agent, "update-ticket-status", {"ticket_id": ticket_id, "status": "resolved"})["ticket"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"] is not None
    closed = invoke(agent, "update-ticket-status", {"ticket_id": ticket_id, "status": "closed"})["ticket"]
    assert closed["closed_at"] is not None
    events = agent.client.table("analytics").select("event_type").eq("ticket_id", ticket_id).order("id").execute().data
    assert [e["event_type"] for e in events] == [
        "ticket_created", "message_created", "status_changed", "resolved", "status_changed", "closed",
    ]  # fmt: skip


def test_status_rules(people: People) -> None:
    visitor, agent = people.visitor(), people.agent()
    ticket_id = new_ticket(visitor)["id"]
    status, error = invoke_error(agent, "update-ticket-status", {"ticket_id": ticket_id, "status": "archived"})
    assert (status, error["code"], list(error["details"])) == (400, "validation_failed", ["status"])
    status, error = invoke_error(agent, "update-ticket-status", {"ticket_id": str(uuid.uuid4()), "status": "open"})
    assert (status, error["code"]) == (404, "ticket_not_found")
    close(agent, ticket_id)
    status, error = invoke_error(agent, "update-ticket-status", {"ticket_id": ticket_id, "status": "open"})
    assert (status, error["code"]) == (409, "invalid_transition")


# ---------------------------------------------------------------------------------------------
# get-signed-url and attachments
# ---------------------------------------------------------------------------------------------


def test_upload_attach_and_download_through_signed_urls(people: People) -> None:
    visitor, agent = people.visitor(), people.agent()
    ticket_id = new_ticket(visitor)["id"]
    signed = invoke(
        visitor,
        "get-signed-url",
        {
            "action": "upload",
            "ticket_id": ticket_id,
            "file_name": "../My Shot (1).PNG",
            "mime_type": "image/png",
            "size": len(PNG),
        },
    )
    assert set(signed) == {"path", "signed_url", "token", "expires_in"}
    assert signed["path"].startswith(f"tickets/{ticket_id}/") and signed["path"].endswith("-My-Shot-1.PNG")
    assert 0 < signed["expires_in"] <= 3600
    # The browser uploads straight to Storage with the signed URL (no apikey or session needed).
    put = httpx.put(signed["signed_url"], content=PNG, headers={"Content-Type": "image/png"})
    assert put.status_code == 200, put.text

    sent = visitor.post(
        "add-message",
        {
            "ticket_id": ticket_id,
            "content": "",
            "client_id": str(uuid.uuid4()),
            "attachments": [attachment(signed["path"], "My Shot (1).PNG")],
        },
    )
    assert sent.status_code == 201, sent.text
    message, [row] = sent.json()["message"], sent.json()["attachments"]
    assert message["content"] == "📎 My Shot (1).PNG"
    assert (row["object_path"], row["file_name"], row["mime_type"], row["size_bytes"]) == (
        signed["path"], "My Shot (1).PNG", "image/png", len(PNG)
    )  # fmt: skip

    for reader in (visitor, agent):
        download = invoke(reader, "get-signed-url", {"action": "download", "attachment_id": row["id"]})
        assert download["expires_in"] == 7 * 24 * 3600
        fetched = httpx.get(download["signed_url"])
        assert (fetched.status_code, fetched.content) == (200, PNG)


def test_upload_url_is_refused_for_other_visitors_closed_tickets_bad_types_and_sizes(people: People) -> None:
    ann, bob, agent = people.visitor(), people.visitor(), people.agent()
    ticket_id = new_ticket(ann)["id"]
    base = {"action": "upload", "ticket_id": ticket_id, "file_name": "a.png", "mime_type": "image/png", "size": 10}
    cases = [
        (bob, {}, 404, "ticket_not_found"),
        (ann, {"mime_type": "application/x-msdownload", "file_name": "a.exe"}, 415, "unsupported_file_type"),
        (ann, {"size": 50 * 1024 * 1024 + 1}, 413, "file_too_large"),
        (ann, {"size": 0}, 400, "validation_failed"),
        (ann, {"mime_type": "png"}, 400, "validation_failed"),
        (ann, {"action": "delete"}, 400, "validation_failed"),
    ]
    for actor, change, expected_status, expected_code in cases:
        status, error = invoke_error(actor, "get-signed-url", {**base, **change})
        assert (status, error["code"]) == (expected_status, expected_code), change
    assert invoke(agent, "get-signed-url", {**base, "mime_type": "application/pdf"})["path"].endswith("-a.png")
    close(agent, ticket_id)
    for actor in (ann, agent):
        status, error = invoke_error(actor, "get-signed-url", base)
        assert (status, error["code"]) == (409, "ticket_closed")


def test_visitor_cannot_download_another_visitors_attachment(people: People) -> None:
    ann, bob = people.visitor(), people.visitor()
    ticket_id = new_ticket(ann)["id"]
    path = upload(ann, ticket_id)
    sent = invoke(
        ann,
        "add-message",
        {"ticket_id": ticket_id, "content": "file", "client_id": str(uuid.uuid4()), "attachments": [attachment(path)]},
    )
    attachment_id = sent["attachments"][0]["id"]
    new_ticket(bob)
    status, error = invoke_error(bob, "get-signed-url", {"action": "download", "attachment_id": attachment_id})
    assert (status, error["code"]) == (404, "attachment_not_found")
    # Nor through Storage directly with his own session.
    direct = httpx.post(
        f"{bob.api_url}/storage/v1/object/sign/{BUCKET}/{path}",
        json={"expiresIn": 60},
        headers={"apikey": bob.anon_key, "Authorization": f"Bearer {bob.token}"},
    )
    assert direct.status_code == 400 and direct.json()["statusCode"] == "404"


def test_attachment_outside_the_ticket_folder_is_refused(people: People) -> None:
    ann, bob = people.visitor(), people.visitor()
    anns, bobs = new_ticket(ann)["id"], new_ticket(bob)["id"]
    anns_file = upload(ann, anns)
    # Bob tries to link Ann's file (in her folder) into his own ticket, and a traversal path.
    for path in (anns_file, f"tickets/{bobs}/../{anns}/x.png", f"tickets/{bobs}/sub/x.png"):
        status, error = invoke_error(
            bob,
            "add-message",
            {"ticket_id": bobs, "content": "mine?", "client_id": str(uuid.uuid4()), "attachments": [attachment(path)]},
        )
        assert (status, error["code"]) == (400, "invalid_attachment_path"), path
    # Linking Ann's own file into Ann's ticket is refused: he cannot see her ticket at all.
    status, error = invoke_error(
        bob,
        "add-message",
        {"ticket_id": anns, "content": "x", "client_id": str(uuid.uuid4()), "attachments": [attachment(anns_file)]},
    )
    assert (status, error["code"]) == (404, "ticket_not_found")
    # His own upload, named under her ticket, is not in her ticket's folder.
    bobs_file = upload(bob, bobs)
    status, error = invoke_error(
        bob,
        "add-message",
        {"ticket_id": anns, "content": "x", "client_id": str(uuid.uuid4()), "attachments": [attachment(bobs_file)]},
    )
    assert (status, error["code"]) == (400, "invalid_attachment_path")
    # Nor can he get an upload URL for her folder.
    status, error = invoke_error(
        bob,
        "get-signed-url",
        {"action": "upload", "ticket_id": anns, "file_name": "x.png", "mime_type": "image/png", "size": 10},
    )
    assert (status, error["code"]) == (404, "ticket_not_found")


def test_attachment_must_exist_and_be_uploaded_by_the_caller(people: People) -> None:
    visitor, agent = people.visitor(), people.agent()
    ticket_id = new_ticket(visitor)["id"]
    ghost = f"tickets/{ticket_id}/{uuid.uuid4()}-ghost.png"
    status, error = invoke_error(
        visitor,
        "add-message",
        {"ticket_id": ticket_id, "content": "x", "client_id": str(uuid.uuid4()), "attachments": [attachment(ghost)]},
    )
    assert (status, error["code"]) == (400, "attachment_not_uploaded")
    agents_file = upload(agent, ticket_id)
    status, error = invoke_error(
        visitor,
        "add-message",
        {
            "ticket_id": ticket_id,
            "content": "x",
            "client_id": str(uuid.uuid4()),
            "attachments": [attachment(agents_file)],
        },
    )
    assert (status, error["code"]) == (403, "attachment_not_owned")
    # The agent may attach it; afterwards nobody may attach it a second time.
    invoke(
        agent,
        "add-message",
        {
            "ticket_id": ticket_id,
            "content": "y",
            "client_id": str(uuid.uuid4()),
            "attachments": [attachment(agents_file)],
        },
    )
    status, error = invoke_error(
        agent,
        "add-message",
        {
            "ticket_id": ticket_id,
            "content": "z",
            "client_id": str(uuid.uuid4()),
            "attachments": [attachment(agents_file)],
        },
    )
    assert (status, error["code"]) == (409, "attachment_already_linked")


# ---------------------------------------------------------------------------------------------
# rate limit (its own server: 4 new tickets per IP, 2 per visitor, per hour)
# ---------------------------------------------------------------------------------------------


def test_create_ticket_rate_limits_per_visitor_and_per_ip(limited_people: People) -> None:
    ann, bob = limited_people.visitor(), limited_people.visitor()
    assert [ann.post("create-ticket", TICKET).status_code for _ in range(2)] == [201, 201]
    over = ann.post("create-ticket", TICKET)
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "rate_limited"
    assert 3500 <= int(over.headers["retry-after"]) <= 3600
    status, error = invoke_error(ann, "create-ticket", TICKET)
    assert (status, error["code"]) == (429, "rate_limited")
    # Bob is a new visitor, but the IP has 4 hits already (2 allowed + 2 refused for Ann).
    assert bob.post("create-ticket", TICKET).status_code == 429
    assert len(ann.client.table("tickets").select("id").execute().data) == 2
    assert bob.client.table("tickets").select("id").execute().data == []


def test_spoofed_forwarding_headers_do_not_dodge_the_ip_limit(limited_people: People) -> None:
    """Each request claims another address in X-Forwarded-For / X-Real-IP; the limit still counts the real one."""
    visitors = [limited_people.visitor() for _ in range(6)]
    statuses = []
    for n, visitor in enumerate(visitors):
        spoofed = {"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"198.51.100.{n}"}
        statuses.append(visitor.post("create-ticket", TICKET, headers=spoofed).status_code)
    assert statuses.count(201) <= 4, statuses
    assert statuses[-1] == 429, statuses
