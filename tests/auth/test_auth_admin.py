"""The admin user API (`/admin/users`) with the service_role key, and its refusal to anyone else."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import PASSWORD, bearer, new_client, sql, unique_email
from tests.conftest import RunningServer


def test_admin_creates_gets_updates_and_deletes_a_user(admin: Client, server: RunningServer) -> None:
    email = unique_email("managed")

    created = admin.auth.admin.create_user(
        {"email": email, "password": PASSWORD, "email_confirm": True, "user_metadata": {"name": "Bo"},
         "app_metadata": {"team": "tier-2"}}
    ).user  # fmt: skip
    assert created.email == email and created.email_confirmed_at is not None
    assert created.app_metadata == {"provider": "email", "providers": ["email"], "team": "tier-2"}

    fetched = admin.auth.admin.get_user_by_id(created.id).user
    assert fetched.id == created.id and fetched.user_metadata == {"name": "Bo"}

    updated = admin.auth.admin.update_user_by_id(
        created.id, {"user_metadata": {"name": "Bea"}, "app_metadata": {"team": None}}
    ).user
    assert updated.user_metadata == {"name": "Bea"} and "team" not in updated.app_metadata

    admin.auth.admin.delete_user(created.id)
    with pytest.raises(AuthApiError) as caught:
        admin.auth.admin.get_user_by_id(created.id)
    assert caught.value.status == 404 and caught.value.code == "user_not_found"
    assert sql(server.db_url, "select 1 from auth.users where id = $1::uuid", created.id) == []


def test_admin_created_user_signs_in(admin: Client, server: RunningServer) -> None:
    email = unique_email("admin-made")
    admin.auth.admin.create_user({"email": email, "password": PASSWORD, "email_confirm": True})

    response = new_client(server).auth.sign_in_with_password({"email": email, "password": PASSWORD})

    assert response.user is not None and response.user.email == email


def test_admin_list_paginates_with_total_and_link_headers(
    admin: Client, make_user: Callable[..., str], server: RunningServer
) -> None:
    for _ in range(3):
        make_user("listed")
    total = sql(server.db_url, "select count(*) as n from auth.users")[0]["n"]

    first_page = admin.auth.admin.list_users(page=1, per_page=2)
    assert len(first_page) == 2

    response = httpx.get(
        f"{server.api_url}/auth/v1/admin/users",
        params={"page": 1, "per_page": 2},
        headers={"apikey": server.service_role_key, **bearer(server.service_role_key)},
    )
    assert response.status_code == 200
    assert int(response.headers["x-total-count"]) >= total
    assert 'rel="next"' in response.headers["link"] and 'rel="last"' in response.headers["link"]
    assert "page=2" in response.headers["link"]
    assert [u["id"] for u in response.json()["users"]] == [u.id for u in first_page]


def test_admin_duplicate_email_is_email_exists(admin: Client, make_user: Callable[..., str]) -> None:
    email = make_user()

    with pytest.raises(AuthApiError) as caught:
        admin.auth.admin.create_user({"email": email, "password": PASSWORD})

    assert caught.value.status == 422 and caught.value.code == "email_exists"


def test_admin_ban_blocks_sign_in_and_refresh(admin: Client, server: RunningServer) -> None:
    email = unique_email("banned")
    user = admin.auth.admin.create_user({"email": email, "password": PASSWORD, "email_confirm": True}).user
    device = new_client(server)
    device.auth.sign_in_with_password({"email": email, "password": PASSWORD})

    banned = admin.auth.admin.update_user_by_id(user.id, {"ban_duration": "24h"}).user

    assert banned.banned_until is not None
    with pytest.raises(AuthApiError) as sign_in:
        new_client(server).auth.sign_in_with_password({"email": email, "password": PASSWORD})
    assert sign_in.value.code == "user_banned"
    with pytest.raises(AuthApiError) as refresh:
        device.auth.refresh_session()
    assert refresh.value.code == "user_banned"

    admin.auth.admin.update_user_by_id(user.id, {"ban_duration": "none"})
    assert new_client(server).auth.sign_in_with_password({"email": email, "password": PASSWORD}).user is not None


def test_admin_endpoints_refuse_the_anon_key(client: Client, admin: Client) -> None:
    someone = admin.auth.admin.list_users(per_page=1)[0]

    for call in (
        lambda: client.auth.admin.list_users(),
        lambda: client.auth.admin.get_user_by_id(someone.id),
        lambda: client.auth.admin.create_user({"email": unique_email(), "password": PASSWORD}),
        lambda: client.auth.admin.delete_user(someone.id),
    ):
        with pytest.raises(AuthApiError) as caught:
            call()
        assert caught.value.status == 403 and caught.value.code == "not_admin"
    assert admin.auth.admin.get_user_by_id(someone.id).user.id == someone.id


def test_admin_endpoints_refuse_a_signed_in_user(signed_in: Client, http: httpx.Client) -> None:
    session = signed_in.auth.get_session()
    assert session is not None

    response = http.get("/admin/users", headers=bearer(session.access_token))

    assert response.status_code == 403 and response.json()["code"] == "not_admin"


def test_admin_unknown_or_malformed_id_is_404(admin: Client, server: RunningServer) -> None:
    with pytest.raises(AuthApiError) as unknown:
        admin.auth.admin.get_user_by_id(str(uuid.uuid4()))
    assert unknown.value.status == 404

    response = httpx.get(
        f"{server.api_url}/auth/v1/admin/users/not-a-uuid",
        headers={"apikey": server.service_role_key, **bearer(server.service_role_key)},
    )
    assert response.status_code == 404


def test_deleted_user_token_is_user_not_found(admin: Client, signed_in: Client) -> None:
    session = signed_in.auth.get_session()
    assert session is not None

    admin.auth.admin.delete_user(session.user.id)

    with pytest.raises(AuthApiError) as caught:
        signed_in.auth.get_user(session.access_token)
    assert caught.value.status == 403 and caught.value.code == "user_not_found"


def test_admin_cannot_give_a_role_no_surface_accepts(admin: Client) -> None:
    with pytest.raises(AuthApiError) as caught:
        admin.auth.admin.create_user(
            {"email": unique_email("odd-role"), "password": PASSWORD, "role": "supabase_admin"}
        )

    assert caught.value.status == 400 and caught.value.code == "validation_failed"
