"""Refresh-token rotation and reuse detection (`POST /token?grant_type=refresh_token`).

The reuse interval (10 s in config.toml) is crossed by ageing the revoked token in the database,
not by sleeping.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import API_VERSION, claims, sql
from tests.conftest import RunningServer


def _age_token(server: RunningServer, token: str, seconds: int) -> None:
    sql(
        server.db_url,
        "update auth.refresh_tokens set updated_at = now() - make_interval(secs => $2) where token = $1",
        token,
        float(seconds),
    )


def test_refresh_rotates_and_revokes_the_old_token(signed_in: Client, server: RunningServer) -> None:
    before = signed_in.auth.get_session()
    assert before is not None

    after = signed_in.auth.refresh_session().session

    assert after is not None and after.refresh_token != before.refresh_token
    assert claims(after.access_token)["session_id"] == claims(before.access_token)["session_id"]
    rows = sql(
        server.db_url,
        "select token, revoked, parent from auth.refresh_tokens where token = any($1::text[])",
        [before.refresh_token, after.refresh_token],
    )
    by_token = {row["token"]: row for row in rows}
    assert by_token[before.refresh_token]["revoked"] is True
    assert by_token[after.refresh_token]["revoked"] is False
    assert by_token[after.refresh_token]["parent"] == before.refresh_token


def test_reuse_within_the_interval_returns_the_current_child(signed_in: Client) -> None:
    old = signed_in.auth.get_session()
    assert old is not None
    child = signed_in.auth.refresh_session().session
    assert child is not None

    retried = signed_in.auth.refresh_session(old.refresh_token).session

    assert retried is not None and retried.refresh_token == child.refresh_token
    assert signed_in.auth.refresh_session().session is not None  # the child still works


def test_reuse_after_the_interval_revokes_the_whole_session(signed_in: Client, server: RunningServer) -> None:
    old = signed_in.auth.get_session()
    assert old is not None
    child = signed_in.auth.refresh_session().session
    assert child is not None
    _age_token(server, old.refresh_token, 11)

    with pytest.raises(AuthApiError) as caught:
        signed_in.auth.refresh_session(old.refresh_token)

    assert caught.value.status == 400 and str(caught.value.code) == "refresh_token_already_used"
    with pytest.raises(AuthApiError) as child_refused:
        signed_in.auth.refresh_session(child.refresh_token)
    assert str(child_refused.value.code) == "refresh_token_not_found"
    with pytest.raises(AuthApiError) as user_refused:
        signed_in.auth.get_user(child.access_token)
    assert user_refused.value.status == 403 and user_refused.value.code == "session_not_found"


def test_unknown_refresh_token_is_not_found(client: Client) -> None:
    with pytest.raises(AuthApiError) as caught:
        client.auth.refresh_session("not-a-token-we-issued")

    assert caught.value.status == 400 and str(caught.value.code) == "refresh_token_not_found"


def test_refresh_keeps_the_user_and_reissues_claims(signed_in: Client) -> None:
    before = signed_in.auth.get_session()
    assert before is not None

    after = signed_in.auth.refresh_session().session

    assert after is not None
    old, new = claims(before.access_token), claims(after.access_token)
    for name in ("sub", "email", "role", "aud", "is_anonymous", "amr", "app_metadata"):
        assert new[name] == old[name], name


def test_concurrent_refreshes_with_one_token_agree_on_the_child(signed_in: Client, server: RunningServer) -> None:
    """Two tabs refreshing at once: one rotates, the others get that same child (reuse interval)."""
    session = signed_in.auth.get_session()
    assert session is not None

    def refresh(_: int) -> httpx.Response:
        return httpx.post(
            f"{server.api_url}/auth/v1/token?grant_type=refresh_token",
            json={"refresh_token": session.refresh_token},
            headers={"apikey": server.anon_key, **API_VERSION},
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(refresh, range(6)))

    assert [r.status_code for r in responses] == [200] * 6
    assert len({r.json()["refresh_token"] for r in responses}) == 1
    live = sql(
        server.db_url,
        "select count(*) as n from auth.refresh_tokens where session_id = $1::uuid and not revoked",
        claims(session.access_token)["session_id"],
    )
    assert live[0]["n"] == 1
