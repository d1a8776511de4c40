"""`[auth]` from supabase/config.toml: parsed values, env overrides, and a server with anonymous
sign-ins switched off in its own copy of the project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from supabase_auth.errors import AuthApiError
from tests.auth.helpers import API_VERSION, PASSWORD, new_client, unique_email
from tests.conftest import ROOT, RunningServer, start_server, stop_server

from supadesk.server.auth.config import AuthConfigError, load_auth_config
from supadesk.server.ratelimit import Limit


def test_project_config_is_read(tmp_path: Path) -> None:
    config = load_auth_config(ROOT / "supabase" / "config.toml", env={})

    assert config.enable_anonymous_sign_ins is True
    assert config.minimum_password_length == 8 and config.jwt_expiry == 3600
    assert config.refresh_token_reuse_interval == 10
    assert config.rate_limit("anonymous_users") == Limit(30, 3600.0)


def test_missing_file_means_cli_defaults(tmp_path: Path) -> None:
    config = load_auth_config(tmp_path / "absent.toml", env={})

    assert config.enable_anonymous_sign_ins is False and config.minimum_password_length == 6


def test_env_overrides_a_rate_limit(tmp_path: Path) -> None:
    config = load_auth_config(ROOT / "supabase" / "config.toml", env={"SUPADESK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS": "4"})

    assert config.rate_limit("sign_in_sign_ups") == Limit(4, 300.0)


@pytest.mark.parametrize(
    ("toml", "env"),
    [
        ("[auth]\njwt_expiry = 'soon'\n", {}),
        ("[auth]\nenable_anonymous_sign_ins = 1\n", {}),
        ("[auth\n", {}),
        ("", {"SUPADESK_AUTH_RATE_LIMIT_ANONYMOUS_USERS": "many"}),
    ],
)
def test_unusable_values_are_reported(tmp_path: Path, toml: str, env: dict[str, str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)

    with pytest.raises(AuthConfigError):
        load_auth_config(path, env=env)


@pytest.fixture(scope="module")
def no_anonymous(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server whose project copy sets `enable_anonymous_sign_ins = false`."""
    project = tmp_path_factory.mktemp("project-no-anonymous")
    shutil.copytree(ROOT / "sql", project / "sql")
    shutil.copytree(ROOT / "supabase", project / "supabase", ignore=shutil.ignore_patterns("node_modules", ".temp"))
    config = project / "supabase" / "config.toml"
    text = config.read_text()
    assert "enable_anonymous_sign_ins = true" in text
    config.write_text(text.replace("enable_anonymous_sign_ins = true", "enable_anonymous_sign_ins = false"))
    running = start_server(db_url, data_dir, project / "server.log", env={"SUPADESK_PROJECT_DIR": str(project)})
    yield running
    stop_server(running)


def test_anonymous_sign_in_disabled_by_config(no_anonymous: RunningServer) -> None:
    with pytest.raises(AuthApiError) as caught:
        new_client(no_anonymous).auth.sign_in_anonymously()

    assert caught.value.status == 422 and caught.value.code == "anonymous_provider_disabled"
    settings = httpx.get(
        f"{no_anonymous.api_url}/auth/v1/settings", headers={"apikey": no_anonymous.anon_key, **API_VERSION}
    ).json()
    assert settings["external"]["anonymous_users"] is False


def test_email_sign_up_still_works_without_anonymous(no_anonymous: RunningServer) -> None:
    response = new_client(no_anonymous).auth.sign_up({"email": unique_email("no-anon"), "password": PASSWORD})

    assert response.session is not None and response.user is not None and not response.user.is_anonymous
