"""`GET`/`PUT /user` and `POST /logout` scopes through supabase-py."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import PASSWORD, bearer, new_client
from tests.conftest import RunningServer


def test_get_user_returns_the_signed_in_user(signed_in: Client) -> None:
    session = signed_in.auth.get_session()
    assert session is not None

    response = signed_in.auth.get_user()

    assert response is not None and response.user.id == session.user.id
    assert response.user.email == session.user.email and response.user.role == "authenticated"


def test_user_without_bearer_is_no_authorization(http: httpx.Client) -> None:
    response = http.get("/user")

    assert response.status_code == 401
    assert response.json()["code"] == "no_authorization"


def test_update_user_merges_metadata(signed_in: Client) -> None:
    signed_in.auth.update_user({"data": {"name": "Ada", "team": "support"}})

    updated = signed_in.auth.update_user({"data": {"team": None, "lang": "en"}})

    assert updated.user.user_metadata == {"name": "Ada", "lang": "en"}
    fetched = signed_in.auth.get_user()
    assert fetched is not None and fetched.user.user_metadata == {"name": "Ada", "lang": "en"}


def test_user_cannot_grant_themselves_app_metadata(signed_in: Client) -> None:
    with pytest.raises(AuthApiError) as caught:
        signed_in.auth.update_user({"app_metadata": {"role": "admin"}})  # type: ignore[typeddict-unknown-key]

    assert caught.value.status == 403 and caught.value.code == "not_admin"
    user = signed_in.auth.get_user()
    assert user is not None and "role" not in user.user.app_metadata


def test_new_password_replaces_the_old_and_ends_other_sessions(
    server: RunningServer, make_user: Callable[..., str]
) -> None:
    email = make_user()
    device_a, device_b = new_client(server), new_client(server)
    device_a.auth.sign_in_with_password({"email": email, "password": PASSWORD})
    device_b.auth.sign_in_with_password({"email": email, "password": PASSWORD})

    device_a.auth.update_user({"password": "a-brand-new-password"})

    with pytest.raises(AuthApiError) as old_refused:
        new_client(server).auth.sign_in_with_password({"email": email, "password": PASSWORD})
    assert old_refused.value.code == "invalid_credentials"
    with pytest.raises(AuthApiError) as other_session:
        device_b.auth.get_user()
    assert other_session.value.code == "session_not_found"
    assert device_a.auth.get_user() is not None  # the session that changed it stays


def test_same_password_is_refused(signed_in: Client) -> None:
    with pytest.raises(AuthApiError) as caught:
        signed_in.auth.update_user({"password": PASSWORD})

    assert caught.value.status == 422 and caught.value.code == "same_password"


def test_sign_out_ends_the_session(signed_in: Client, server: RunningServer) -> None:
    session = signed_in.auth.get_session()
    assert session is not None

    signed_in.auth.sign_out()

    assert signed_in.auth.get_session() is None
    other = new_client(server)
    with pytest.raises(AuthApiError) as refresh_refused:
        other.auth.refresh_session(session.refresh_token)
    assert str(refresh_refused.value.code) == "refresh_token_not_found"
    with pytest.raises(AuthApiError) as user_refused:
        other.auth.get_user(session.access_token)
    assert user_refused.value.status == 403 and user_refused.value.code == "session_not_found"


def test_logout_scopes(server: RunningServer, make_user: Callable[..., str], http: httpx.Client) -> None:
    email = make_user()
    tokens = []
    for _ in range(3):
        signed = new_client(server).auth.sign_in_with_password({"email": email, "password": PASSWORD})
        assert signed.session is not None
        tokens.append(signed.session.access_token)
    first, second, third = tokens

    assert http.post("/logout?scope=others", headers=bearer(first)).status_code == 204
    assert http.get("/user", headers=bearer(first)).status_code == 200
    assert http.get("/user", headers=bearer(second)).json()["code"] == "session_not_found"

    assert http.post("/logout?scope=local", headers=bearer(first)).status_code == 204
    assert http.get("/user", headers=bearer(first)).json()["code"] == "session_not_found"
    assert http.get("/user", headers=bearer(third)).json()["code"] == "session_not_found"


def test_unknown_logout_scope_is_validation_failed(signed_in: Client, http: httpx.Client) -> None:
    session = signed_in.auth.get_session()
    assert session is not None

    response = http.post("/logout?scope=everyone", headers=bearer(session.access_token))

    assert response.status_code == 400 and response.json()["code"] == "validation_failed"
