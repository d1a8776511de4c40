"""Attacks on /rest/v1, each answered with a 4xx and the right code, and nothing changed.

Tokens (forged, expired, `alg: none`, tampered claims), claims smuggled in headers or bodies, SQL
injection through every part of the query string, unknown names, malformed and oversized bodies.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from tests.conftest import RunningServer, start_server, stop_server
from tests.rest.conftest import World
from tests.rest.helpers import raw, sql, user_claims

TABLES = ("customers", "tickets", "messages", "attachments", "users")


def _counts(world: World) -> dict[str, int]:
    return {t: int(sql(world.server.db_url, f"select count(*) from public.{t}")[0][0]) for t in TABLES}


@pytest.fixture(scope="module")
def unchanged(world: World) -> Iterator[World]:
    """Every attack in this module leaves the helpdesk tables exactly as they were."""
    before = _counts(world)
    yield world
    assert _counts(world) == before


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _tamper(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return ".".join([header, _b64({**claims, **changes}), signature])


def _assert_401(world: World, token: str, code: str = "PGRST301") -> dict[str, object]:
    response = raw(world.server, "GET", "/tickets?select=id", token)
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["code"] == code
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    return body  # type: ignore[no-any-return]


def test_token_signed_with_another_secret(unchanged: World) -> None:
    forged = jwt.encode(user_claims(unchanged.a.user_id, anonymous=True), "not-the-secret" * 4, algorithm="HS256")
    _assert_401(unchanged, forged)


def test_expired_token(unchanged: World) -> None:
    claims = {**user_claims(unchanged.a.user_id, anonymous=True), "exp": int(time.time()) - 10}
    body = _assert_401(unchanged, unchanged.keys.sign(claims), "PGRST303")
    assert body["message"] == "JWT expired"
    response = raw(unchanged.server, "GET", "/tickets", unchanged.keys.sign(claims))
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token", error_description="JWT expired"'


def test_alg_none_token(unchanged: World) -> None:
    claims = {**user_claims(unchanged.a.user_id, anonymous=True), "role": "service_role"}
    _assert_401(unchanged, _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(claims) + ".")


def test_other_algorithm(unchanged: World) -> None:
    claims = user_claims(unchanged.a.user_id, anonymous=True)
    _assert_401(unchanged, jwt.encode(claims, unchanged.keys.secret, algorithm="HS512"))


@pytest.mark.parametrize("changes", [
    {"role": "service_role"},
    {"app_metadata": {"role": "admin", "provider": "email"}},
    {"sub": "00000000-0000-0000-0000-000000000001"},
    {"is_anonymous": False},
])
def test_visitor_token_with_tampered_claims(unchanged: World, changes: dict[str, object]) -> None:
    _assert_401(unchanged, _tamper(unchanged.a.token, **changes))


def test_validly_signed_token_with_an_unknown_role(unchanged: World) -> None:
    claims = {**user_claims(unchanged.a.user_id, anonymous=True), "role": "postgres"}
    _assert_401(unchanged, unchanged.keys.sign(claims))


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "Bearer", "eyJhbGciOiJIUzI1NiJ9.e30"])
def test_malformed_tokens(unchanged: World, token: str) -> None:
    _assert_401(unchanged, token)


def test_claims_smuggled_in_headers_change_nothing(unchanged: World) -> None:
    smuggled = json.dumps({"role": "service_role", "sub": str(unchanged.b.user_id)})
    response = raw(unchanged.server, "GET", "/tickets?select=id", unchanged.a.token, headers={
        "request.jwt.claims": smuggled, "X-JWT-Claims": smuggled, "role": "service_role",
        "x-supabase-role": "service_role", "apikey": unchanged.server.service_role_key})
    assert response.status_code == 200
    assert {r["id"] for r in response.json()} == set(unchanged.a.tickets)


def test_claims_smuggled_in_bodies_are_refused(unchanged: World) -> None:
    message = {"ticket_id": unchanged.b.tickets[0], "sender_type": "customer", "sender_id": str(unchanged.a.user_id),
               "content": "smuggled", "role": "service_role"}
    response = raw(unchanged.server, "POST", "/messages", unchanged.a.token, json=message)
    assert response.status_code == 400 and response.json()["code"] == "PGRST204"
    response = raw(unchanged.server, "PATCH", f"/customers?id=eq.{unchanged.a.customer_id}", unchanged.a.token,
                   json={"user_id": str(unchanged.b.user_id)})
    assert response.status_code == 403 and response.json()["code"] == "42501"
    response = raw(unchanged.server, "POST", "/rpc/ticket_metrics", unchanged.a.token,
                   json={"range_start": "2000-01-01", "range_end": "2100-01-01", "role": "service_role"})
    assert response.status_code == 404 and response.json()["code"] == "PGRST202"


@pytest.mark.parametrize(("query", "status", "code"), [
    ("select=id,(select 1)", 400, "PGRST100"),
    ("select=id;drop table public.tickets", 400, "PGRST100"),
    ('select="id; drop table public.tickets"', 400, "42703"),
    ("select=id::text);drop table public.tickets;--", 400, "PGRST100"),
    ("select=*,messages(id;delete from public.messages)", 400, "PGRST100"),
    ("order=id;delete from public.tickets", 400, "PGRST100"),
    ("order=(select 1)", 400, "PGRST100"),
    ('order="id desc; delete from public.tickets"', 400, "42703"),
    ("id=eq.1' or '1'='1", 400, "22P02"),
    ("%22id%5C%22%20%3D%201%20or%201%22=eq.1", 400, "42703"),  # the column `id" = 1 or 1`
    ('"id""=1 or 1"=eq.1', 400, "PGRST100"),
    ("or=(id.eq.1);delete from public.tickets", 400, "PGRST100"),
    ("select=data->>'a'", 400, "PGRST100"),
])
def test_sql_injection_in_reads(unchanged: World, query: str, status: int, code: str) -> None:
    response = raw(unchanged.server, "GET", f"/tickets?{query}", unchanged.agent.token)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


def test_injected_values_are_just_values(unchanged: World) -> None:
    for query in ("subject=eq.x' or '1'='1", "subject=in.(\"a') or true--\")", "subject=like.*' or ''='",
                  "or=(subject.eq.\"x') or true--\")"):
        response = raw(unchanged.server, "GET", f"/tickets?select=id&{query}", unchanged.agent.token)
        assert response.status_code == 200 and response.json() == []


def test_injected_alias_and_json_keys_are_just_names(unchanged: World) -> None:
    alias = 'x" from pg_authid --'
    response = raw(unchanged.server, "GET", "/analytics", unchanged.agent.token, params={
        "select": f'"{alias.replace(chr(34), chr(92) + chr(34))}":event_type,v:data->>"a\') or true--"',
        "ticket_id": f"eq.{unchanged.a.tickets[0]}", "event_type": "eq.ticket_created"})
    assert response.status_code == 200, response.text
    assert response.json() == [{alias: "ticket_created", "v": None}]


def test_injection_in_on_conflict_and_columns(unchanged: World) -> None:
    body = [{"customer_id": str(unchanged.a.customer_id), "subject": "x"}]
    for query, code in (("on_conflict=id) do nothing; delete from public.tickets; --", "PGRST100"),
                        ('on_conflict="id) do nothing --"', "PGRST204"),
                        ('columns="subject","x\\",1);drop table public.tickets;--"', "PGRST204"),
                        ("columns=subject);drop table public.tickets;--", "PGRST100")):
        response = raw(unchanged.server, "POST", f"/tickets?{query}", unchanged.server.service_role_key, json=body,
                       headers={"Prefer": "resolution=merge-duplicates"})
        assert response.status_code == 400, response.text
        assert response.json()["code"] == code


def test_injection_in_body_keys(unchanged: World) -> None:
    body = {'content") values (1); drop table public.messages; --': "x"}
    response = raw(unchanged.server, "POST", "/messages", unchanged.server.service_role_key, json=body)
    assert response.status_code == 400 and response.json()["code"] == "PGRST204"


def test_unknown_names(unchanged: World) -> None:
    assert raw(unchanged.server, "GET", "/pg_authid", unchanged.agent.token).json()["code"] == "PGRST205"
    assert raw(unchanged.server, "GET", "/tickets?select=passwd", unchanged.agent.token).json()["code"] == "42703"
    assert raw(unchanged.server, "POST", "/rpc/pg_sleep", unchanged.agent.token,
               json={"seconds": 1}).json()["code"] == "PGRST202"
    response = raw(unchanged.server, "GET", "/users", unchanged.agent.token, headers={"Accept-Profile": "auth"})
    assert response.status_code == 406 and response.json()["code"] == "PGRST106"


def test_default_body_limit_is_one_mebibyte(unchanged: World) -> None:
    body = json.dumps({"content": "x" * (1024 * 1024 + 1)}).encode()
    response = raw(unchanged.server, "POST", "/messages", unchanged.a.token, content=body,
                   headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "SD413"


@pytest.fixture(scope="module")
def small_limit_server(
    db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("rest-small-body") / "server.log"
    running = start_server(db_url, data_dir, log, env={"SUPADESK_REST_MAX_BODY_BYTES": "1024"})
    yield running
    stop_server(running)


def test_configured_body_limit(unchanged: World, small_limit_server: RunningServer) -> None:
    message = {"ticket_id": unchanged.a.tickets[0], "sender_type": "customer", "sender_id": str(unchanged.a.user_id),
               "content": "y" * 2000}
    response = raw(small_limit_server, "POST", "/messages", unchanged.a.token, json=message)
    assert response.status_code == 413
    assert response.json()["details"] == "The limit is 1024 bytes"
    chunked = raw(small_limit_server, "POST", "/messages", unchanged.a.token,
                  content=iter([json.dumps(message).encode()]), headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    small = raw(small_limit_server, "POST", "/messages", unchanged.a.token,
                json={**message, "content": "fits", "ticket_id": str(uuid.uuid4())})
    assert small.status_code == 403  # under the limit: reaches the database (and RLS)


@pytest.mark.parametrize("query", [
    "select=" + "a(" * 40 + "*" + ")" * 40,
    "or=" + "(and" * 30 + "(id.eq.1" + ")" * 31,
    "limit=99999999999999999999999",
    "offset=-1",
    "select=data->99999999999999999999",
    "select=%F0%9F%92%A3",
    "%F0%9F%92%A3=eq.1",
    "id=eq.%FF%FE",
    "select=" + "x," * 5000 + "id",
    "id=in.(" + ",".join(["1"] * 5000) + ")",
    "order=" + "id.desc," * 500 + "nope",
    "select=*,messages!inner!left!x(*)",
    "select=id::" + "a" * 300,
    "subject=fts(" + "x" * 100 + ").a",
])
def test_nasty_inputs_are_4xx_never_500(unchanged: World, query: str) -> None:
    response = raw(unchanged.server, "GET", f"/tickets?{query}", unchanged.agent.token)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"code", "message", "details", "hint"}
