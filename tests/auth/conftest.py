"""Fixtures for the /auth/v1 suite: official supabase-py clients against the session's server, raw
HTTP for what the client hides (headers, bodies), and users made through the admin API."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, cast

import httpx
import pytest
from supabase import Client
from supabase_auth.types import AdminUserAttributes
from tests.auth.helpers import API_VERSION, PASSWORD, new_client, unique_email
from tests.conftest import RunningServer

# Every suite signs in from 127.0.0.1 against the one session server, which would soon exhaust
# config.toml's per-IP buckets (30 sign-ins / 5 min).  Set at collection, before any server
# starts; 0 turns a limit off.  The proper home is tests/conftest.py's `server` fixture
# (`start_server(..., env=...)`); test_auth_rate_limit.py runs its own low-limit server.
for _name in ("SIGN_IN_SIGN_UPS", "ANONYMOUS_USERS"):
    os.environ.setdefault(f"SUPADESK_AUTH_RATE_LIMIT_{_name}", "0")


@pytest.fixture
def client(server: RunningServer) -> Client:
    """A fresh anon-key client (a browser tab, a widget visitor)."""
    return new_client(server)


@pytest.fixture
def new_anon_client(server: RunningServer) -> Callable[[], Client]:
    return lambda: new_client(server)


@pytest.fixture(scope="session")
def admin(server: RunningServer) -> Client:
    """A service_role client for the admin API."""
    return new_client(server, server.service_role_key)


@pytest.fixture
def make_user(admin: Client) -> Callable[..., str]:
    """Create a confirmed email user through the admin API (no sign-up rate limit spent); returns its email."""

    def make(prefix: str = "user", password: str = PASSWORD, **attributes: Any) -> str:
        email = unique_email(prefix)
        body = {"email": email, "password": password, "email_confirm": True, **attributes}
        admin.auth.admin.create_user(cast(AdminUserAttributes, body))
        return email

    return make


@pytest.fixture
def signed_in(server: RunningServer, make_user: Callable[..., str]) -> Client:
    """A client signed in with email and password."""
    signed = new_client(server)
    signed.auth.sign_in_with_password({"email": make_user(), "password": PASSWORD})
    return signed


@pytest.fixture
def http(server: RunningServer) -> Iterator[httpx.Client]:
    """Raw HTTP to /auth/v1 with the anon key and the API version header both clients send."""
    with httpx.Client(
        base_url=f"{server.api_url}/auth/v1", headers={"apikey": server.anon_key, **API_VERSION}, timeout=10
    ) as raw:
        yield raw
