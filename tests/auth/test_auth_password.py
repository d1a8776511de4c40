"""Email sign-up and password sign-in through supabase-py (which sends PKCE fields on sign-up)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError
from tests.auth.helpers import PASSWORD, claims, new_client, sql, unique_email
from tests.conftest import ROOT, RunningServer


def test_sign_up_returns_a_session_with_gotrue_claims(client: Client, server: RunningServer) -> None:
    email = unique_email("signup")

    response = client.auth.sign_up({"email": email, "password": PASSWORD, "options": {"data": {"name": "Ada"}}})

    assert response.session is not None and response.user is not None
    user = response.user
    assert user.email == email and user.is_anonymous is False and user.user_metadata == {"name": "Ada"}
    assert user.app_metadata == {"provider": "email", "providers": ["email"]}
    assert user.identities is not None and [i.provider for i in user.identities] == ["email"]
    token = claims(response.session.access_token)
    assert token["iss"] == f"{server.api_url}/auth/v1"
    assert token["exp"] - token["iat"] == response.session.expires_in == 3600
    assert token["email"] == email and token["is_anonymous"] is False and token["aal"] == "aal1"
    assert [entry["method"] for entry in token["amr"]] == ["password"]
    assert response.session.token_type == "bearer"


def test_password_sign_in_opens_a_new_session_and_stamps_last_sign_in(
    new_anon_client: Callable[[], Client], make_user: Callable[..., str], server: RunningServer
) -> None:
    email = make_user()

    first = new_anon_client().auth.sign_in_with_password({"email": email.upper(), "password": PASSWORD})
    second = new_anon_client().auth.sign_in_with_password({"email": email, "password": PASSWORD})

    assert first.session is not None and second.session is not None and first.user is not None
    assert first.user.last_sign_in_at is not None
    sessions = {claims(s.access_token)["session_id"] for s in (first.session, second.session)}
    rows = sql(server.db_url, "select id::text from auth.sessions where user_id = $1::uuid", first.user.id)
    assert sessions == {row["id"] for row in rows}


def test_wrong_password_is_invalid_credentials(client: Client, make_user: Callable[..., str]) -> None:
    email = make_user()

    with pytest.raises(AuthApiError) as caught:
        client.auth.sign_in_with_password({"email": email, "password": "wrong-password"})

    assert caught.value.status == 400 and caught.value.code == "invalid_credentials"
    assert caught.value.message == "Invalid login credentials"


def test_unknown_email_is_the_same_invalid_credentials(client: Client) -> None:
    with pytest.raises(AuthApiError) as caught:
        client.auth.sign_in_with_password({"email": unique_email("nobody"), "password": PASSWORD})

    assert caught.value.code == "invalid_credentials"


def test_signing_up_twice_is_user_already_exists(client: Client, make_user: Callable[..., str]) -> None:
    email = make_user()

    with pytest.raises(AuthApiError) as caught:
        client.auth.sign_up({"email": email.upper(), "password": PASSWORD})

    assert caught.value.status == 422 and caught.value.code == "user_already_exists"


def test_short_password_is_weak_password(client: Client) -> None:
    with pytest.raises(AuthWeakPasswordError) as caught:
        client.auth.sign_up({"email": unique_email(), "password": "short"})

    assert caught.value.status == 422 and caught.value.code == "weak_password"
    assert caught.value.reasons == ["length"]


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "x@example.com\x00.evil", "a" * 250 + "@example.com"])
def test_malformed_email_is_refused(client: Client, email: str) -> None:
    with pytest.raises(AuthApiError) as caught:
        client.auth.sign_up({"email": email, "password": PASSWORD})

    assert caught.value.status == 400 and caught.value.code == "validation_failed"


def test_unconfirmed_user_cannot_sign_in(admin: Client, client: Client) -> None:
    email = unique_email("unconfirmed")
    admin.auth.admin.create_user({"email": email, "password": PASSWORD})

    with pytest.raises(AuthApiError) as caught:
        client.auth.sign_in_with_password({"email": email, "password": PASSWORD})

    assert caught.value.code == "email_not_confirmed"


def test_agent_created_by_the_cli_signs_in(server: RunningServer) -> None:
    email = unique_email("cli-agent")
    created = subprocess.run(
        [sys.executable, "-m", "supadesk", "admin", "create", "--email", email, "--password", PASSWORD,
         "--name", "CLI Agent", "--db-url", server.db_url],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr

    response = new_client(server).auth.sign_in_with_password({"email": email, "password": PASSWORD})

    assert response.user is not None and response.user.email == email
    assert response.user.user_metadata == {"display_name": "CLI Agent"}
    rows = sql(server.db_url, "select role from public.users where id = $1::uuid", response.user.id)
    assert [row["role"] for row in rows] == ["agent"]
