"""Anonymous sign-in (the widget's visitors) through supabase-py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import PASSWORD, claims, sql, unique_email
from tests.conftest import RunningServer


def test_two_visitors_get_distinct_anonymous_users(new_anon_client: Callable[[], Client]) -> None:
    first = new_anon_client().auth.sign_in_anonymously()
    second = new_anon_client().auth.sign_in_anonymously()

    assert first.user is not None and second.user is not None
    assert first.user.id != second.user.id
    for response in (first, second):
        assert response.session is not None and response.user is not None
        assert response.user.is_anonymous is True
        assert response.user.email == "" and response.user.app_metadata == {}
        assert response.user.identities == []
        token = claims(response.session.access_token)
        assert token["is_anonymous"] is True
        assert token["role"] == "authenticated" and token["aud"] == "authenticated"
        assert token["sub"] == response.user.id
        assert token["app_metadata"] == {} and token["email"] == "" and token["phone"] == ""
        assert [entry["method"] for entry in token["amr"]] == ["anonymous"]


def test_anonymous_session_is_persisted_in_the_database(client: Client, server: RunningServer) -> None:
    response = client.auth.sign_in_anonymously({"options": {"data": {"locale": "fr"}}})
    assert response.session is not None and response.user is not None
    token = claims(response.session.access_token)

    rows = sql(
        server.db_url,
        "select u.is_anonymous, u.email, u.raw_user_meta_data->>'locale' as locale, u.last_sign_in_at, s.id"
        " from auth.users u join auth.sessions s on s.user_id = u.id where u.id = $1::uuid",
        response.user.id,
    )
    assert len(rows) == 1
    assert rows[0]["is_anonymous"] is True and rows[0]["email"] is None and rows[0]["locale"] == "fr"
    assert rows[0]["last_sign_in_at"] is not None
    assert str(rows[0]["id"]) == token["session_id"]
    assert response.user.user_metadata == {"locale": "fr"}


def test_anonymous_session_refreshes_and_reads_the_user(client: Client) -> None:
    signed = client.auth.sign_in_anonymously()
    assert signed.session is not None and signed.user is not None

    refreshed = client.auth.refresh_session()

    assert refreshed.session is not None
    assert refreshed.session.refresh_token != signed.session.refresh_token
    token = claims(refreshed.session.access_token)
    assert token["is_anonymous"] is True and token["sub"] == signed.user.id
    user = client.auth.get_user()
    assert user is not None and user.user.id == signed.user.id and user.user.is_anonymous


def test_visitor_becomes_permanent_by_adding_email_and_password(
    new_anon_client: Callable[[], Client],
) -> None:
    visitor = new_anon_client()
    signed = visitor.auth.sign_in_anonymously()
    assert signed.user is not None
    email = unique_email("converted")

    updated = visitor.auth.update_user({"email": email, "password": PASSWORD})

    assert updated.user.id == signed.user.id
    assert updated.user.is_anonymous is False and updated.user.email == email
    assert updated.user.app_metadata["provider"] == "email"
    again = new_anon_client().auth.sign_in_with_password({"email": email, "password": PASSWORD})
    assert again.user is not None and again.user.id == signed.user.id
    assert again.session is not None and claims(again.session.access_token)["is_anonymous"] is False


def test_anonymous_user_cannot_set_a_password_without_an_email(client: Client) -> None:
    client.auth.sign_in_anonymously()

    with pytest.raises(AuthApiError) as caught:
        client.auth.update_user({"password": PASSWORD})

    assert caught.value.status == 422 and caught.value.code == "validation_failed"
