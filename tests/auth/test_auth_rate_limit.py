"""Per-IP rate limits on password sign-in/sign-up and anonymous sign-up (429 with Retry-After).

A second server process with low limits (env overrides) keeps the flood away from the session's
server, whose buckets every other suite shares.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import API_VERSION, PASSWORD, new_client, unique_email
from tests.conftest import RunningServer, start_server, stop_server

SIGN_IN_LIMIT = 3
ANONYMOUS_LIMIT = 2


@pytest.fixture(scope="module")
def limited(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log_path = tmp_path_factory.mktemp("limited-server") / "server.log"
    running = start_server(
        db_url,
        data_dir,
        log_path,
        env={
            "SUPADESK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS": str(SIGN_IN_LIMIT),
            "SUPADESK_AUTH_RATE_LIMIT_ANONYMOUS_USERS": str(ANONYMOUS_LIMIT),
        },
    )
    yield running
    stop_server(running)


def _raw_sign_in(server: RunningServer, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        f"{server.api_url}/auth/v1/token?grant_type=password",
        json={"email": "flood@example.com", "password": PASSWORD},
        headers={"apikey": server.anon_key, **API_VERSION, **(headers or {})},
    )


def _exhaust_sign_ins(server: RunningServer) -> None:
    statuses = [_raw_sign_in(server).status_code for _ in range(SIGN_IN_LIMIT + 1)]
    assert statuses[-1] == 429, statuses


def test_password_sign_in_flood_gets_429_with_retry_after(limited: RunningServer) -> None:
    client = new_client(limited)
    for _ in range(SIGN_IN_LIMIT):
        with pytest.raises(AuthApiError) as allowed:
            client.auth.sign_in_with_password({"email": unique_email("flood"), "password": PASSWORD})
        assert allowed.value.code == "invalid_credentials"

    with pytest.raises(AuthApiError) as limited_error:
        client.auth.sign_in_with_password({"email": unique_email("flood"), "password": PASSWORD})
    assert limited_error.value.status == 429 and limited_error.value.code == "over_request_rate_limit"

    response = _raw_sign_in(limited)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["code"] == "over_request_rate_limit"
    # Sign-ups draw from the same bucket.
    with pytest.raises(AuthApiError) as signup_error:
        client.auth.sign_up({"email": unique_email("flood"), "password": PASSWORD})
    assert signup_error.value.status == 429


def test_forwarded_for_header_does_not_reset_the_limit(limited: RunningServer) -> None:
    """A client cannot pick its own IP (needs `proxy_headers=False` in `supadesk start`)."""
    _exhaust_sign_ins(limited)

    spoofed = [_raw_sign_in(limited, {"X-Forwarded-For": f"10.0.0.{n}"}).status_code for n in range(5)]

    assert spoofed == [429] * 5


def test_anonymous_sign_up_flood_gets_429(limited: RunningServer) -> None:
    for _ in range(ANONYMOUS_LIMIT):
        assert new_client(limited).auth.sign_in_anonymously().session is not None

    with pytest.raises(AuthApiError) as caught:
        new_client(limited).auth.sign_in_anonymously()

    assert caught.value.status == 429 and caught.value.code == "over_request_rate_limit"


def test_refresh_is_not_counted_against_sign_ins(limited: RunningServer, server: RunningServer) -> None:
    """The flood above leaves sign-ins blocked; an existing session still refreshes."""
    _exhaust_sign_ins(limited)
    visitor = new_client(server).auth.sign_in_anonymously().session  # issued by the unlimited server
    assert visitor is not None

    refreshed = new_client(limited).auth.refresh_session(visitor.refresh_token)

    assert refreshed.session is not None
