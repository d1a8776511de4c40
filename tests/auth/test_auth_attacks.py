"""Attack cases: tokens we did not issue, tampered claims, malformed bodies, error shapes.

Every refusal must be a 4xx with GoTrue's code, never a 500 and never data.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import jwt
import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import bearer, claims
from tests.conftest import RunningServer

from supadesk.keys import ProjectKeys

OTHER_SECRET = "not-the-project-secret-but-just-as-long-as-one"


def _unsigned(payload: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


@pytest.fixture
def visitor_claims(client: Client) -> dict[str, Any]:
    response = client.auth.sign_in_anonymously()
    assert response.session is not None
    return claims(response.session.access_token)


def _forgeries(visitor: dict[str, Any], secret: str) -> dict[str, str]:
    now = int(time.time())
    return {
        "wrong secret": jwt.encode(visitor, OTHER_SECRET, algorithm="HS256"),
        "alg none": _unsigned(visitor),
        "expired": jwt.encode({**visitor, "iat": now - 7200, "exp": now - 3600}, secret, algorithm="HS256"),
        "role service_role, other secret": jwt.encode(
            {**visitor, "role": "service_role"}, OTHER_SECRET, algorithm="HS256"
        ),
        "unknown role": jwt.encode({**visitor, "role": "supabase_admin"}, secret, algorithm="HS256"),
        "HS512": jwt.encode(visitor, secret, algorithm="HS512"),
        "garbage": "not.a.jwt",
    }


def test_forged_tokens_are_refused_on_user_and_admin(
    visitor_claims: dict[str, Any], http: httpx.Client, keys: ProjectKeys
) -> None:
    for name, token in _forgeries(visitor_claims, keys.secret).items():
        for path in ("/user", "/admin/users"):
            response = http.get(path, headers=bearer(token))
            assert response.status_code == 403, (name, path, response.text)
            assert response.json()["code"] == "bad_jwt", (name, path)
            assert "users" not in response.json() and "id" not in response.json()


def test_service_role_claim_reissued_with_the_real_secret_by_nobody_but_us(
    visitor_claims: dict[str, Any], http: httpx.Client, keys: ProjectKeys
) -> None:
    """Only the holder of the project secret can mint a service_role token: with it, admin works."""
    forged = jwt.encode({**visitor_claims, "role": "service_role"}, OTHER_SECRET, algorithm="HS256")
    genuine = jwt.encode({**visitor_claims, "role": "service_role"}, keys.secret, algorithm="HS256")

    assert http.get("/admin/users", headers=bearer(forged)).status_code == 403
    assert http.get("/admin/users", headers=bearer(genuine)).status_code == 200


def test_python_client_reports_bad_jwt(client: Client, visitor_claims: dict[str, Any]) -> None:
    forged = jwt.encode(visitor_claims, OTHER_SECRET, algorithm="HS256")

    with pytest.raises(AuthApiError) as caught:
        client.auth.get_user(forged)

    assert caught.value.status == 403 and caught.value.code == "bad_jwt"


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"email": 42, "password": "x"}', b'{"data": "not an object"}', b"\xff\xfe"],
)
def test_malformed_bodies_are_bad_json(http: httpx.Client, body: bytes) -> None:
    response = http.post("/signup", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_json"


def test_nul_characters_in_metadata_are_refused_not_crashed(http: httpx.Client) -> None:
    response = http.post("/signup", json={"data": {"name": "a\u0000b"}})

    assert response.status_code == 400 and response.json()["code"] == "validation_failed"


def test_oversized_body_is_refused(http: httpx.Client) -> None:
    response = http.post("/signup", json={"data": {"blob": "x" * ((1 << 20) + 1000)}})

    assert response.status_code == 413


def test_error_format_follows_the_api_version_header(server: RunningServer) -> None:
    url = f"{server.api_url}/auth/v1/token?grant_type=password"
    body = {"email": "nobody@example.com", "password": "whatever-password"}

    versioned = httpx.post(url, json=body, headers={"apikey": server.anon_key, "X-Supabase-Api-Version": "2024-01-01"})
    legacy = httpx.post(url, json=body, headers={"apikey": server.anon_key})

    assert versioned.status_code == legacy.status_code == 400
    assert versioned.headers["x-supabase-api-version"] == "2024-01-01"
    assert versioned.headers["x-sb-error-code"] == "invalid_credentials"
    assert versioned.json() == {"code": "invalid_credentials", "message": "Invalid login credentials"}
    assert "x-supabase-api-version" not in legacy.headers
    assert legacy.json() == {"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}


def test_unknown_grant_type_and_route(http: httpx.Client) -> None:
    grant = http.post("/token?grant_type=client_credentials", json={})
    route = http.get("/no-such-endpoint")

    assert grant.status_code == 400 and grant.json()["code"] == "invalid_credentials"
    assert route.status_code == 404 and route.json()["code"] == "not_found"


def test_requests_without_the_api_key_are_refused(server: RunningServer) -> None:
    response = httpx.post(f"{server.api_url}/auth/v1/signup", json={})

    assert response.status_code == 401


def test_public_endpoints(server: RunningServer, http: httpx.Client) -> None:
    assert httpx.get(f"{server.api_url}/auth/v1/health").status_code == 200
    assert httpx.get(f"{server.api_url}/auth/v1/.well-known/jwks.json").json() == {"keys": []}
    settings = http.get("/settings").json()
    assert settings["external"]["anonymous_users"] is True and settings["external"]["email"] is True
