"""`supadesk admin create` and `supadesk status`, and how every command fails: one line on stderr,
a non-zero exit code, never a traceback (checked in real subprocesses)."""

from __future__ import annotations

import json

import bcrypt
import pytest
from tests.cli.clitools import invoke, query, run_supadesk, stderr_lines
from tests.db.fixtures import free_port

from supadesk.keys import ProjectKeys


def test_admin_create_makes_a_dashboard_user(scratch_url: str) -> None:
    result = invoke(
        "admin",
        "create",
        "--email",
        "Ops.Lead@Example.com",
        "--password",
        "correct-horse",
        "--name",
        "Ops Lead",
        "--role",
        "admin",
        "--db-url",
        scratch_url,
    )
    assert result.exit_code == 0, result.output
    rows = query(
        scratch_url,
        "select u.email, u.display_name, u.role, a.encrypted_password, a.is_anonymous"
        " from public.users u join auth.users a on a.id = u.id",
    )
    assert len(rows) == 1
    email, name, role, password_hash, anonymous = rows[0]
    assert (email, name, role, anonymous) == ("ops.lead@example.com", "Ops Lead", "admin", False)
    assert bcrypt.checkpw(b"correct-horse", password_hash.encode())
    assert "created admin Ops.Lead@Example.com" in result.stdout


def test_admin_create_defaults_to_an_agent_named_after_the_email(scratch_url: str) -> None:
    result = invoke("admin", "create", "--email", "sam@example.com", "--password", "12345678", "--db-url", scratch_url)
    assert result.exit_code == 0, result.output
    assert query(scratch_url, "select display_name, role from public.users")[0] == ("sam", "agent")


def test_duplicate_email_is_one_clear_line(scratch_url: str) -> None:
    args = ("admin", "create", "--email", "dup@example.com", "--password", "12345678", "--db-url", scratch_url)
    assert invoke(*args).exit_code == 0
    again = invoke(*args[:2], "--email", "DUP@example.com", *args[4:])
    assert again.exit_code != 0
    assert stderr_lines(again) == ["error: A user with email DUP@example.com already exists"]


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", "12345678", "error: 'not-an-email' is not a valid email address"),
        ("a@b", "12345678", "error: 'a@b' is not a valid email address"),
        ("ok@example.com", "short", "error: the password must have at least 8 characters"),
    ],
)
def test_bad_input_is_refused_before_touching_the_database(email: str, password: str, message: str) -> None:
    result = invoke(
        "admin",
        "create",
        "--email",
        email,
        "--password",
        password,
        "--db-url",
        "postgresql://postgres@127.0.0.1:1/never_reached",
    )
    assert result.exit_code != 0
    assert stderr_lines(result) == [message]


def test_unknown_role_is_a_usage_error() -> None:
    result = invoke("admin", "create", "--email", "x@example.com", "--password", "12345678", "--role", "owner")
    assert result.exit_code == 2
    assert "'owner' is not one of" in result.stderr


def test_status_json(scratch_url: str, keys: ProjectKeys) -> None:
    port = free_port()
    result = invoke("status", "--json", "--db-url", scratch_url, env={"SUPADESK_PORT": str(port)})
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert {"api_url", "db_url", "anon_key", "service_role_key", "server_running"} <= set(info)
    assert info["api_url"] == f"http://127.0.0.1:{port}"
    assert info["db_url"] == scratch_url
    assert info["server_running"] is False  # nothing listens on that port
    assert keys.verify(info["anon_key"])["role"] == "anon"
    assert keys.verify(info["service_role_key"])["role"] == "service_role"
    assert info["migrations_pending"] == [] and info["platform_pending"] == []


def test_status_sees_a_running_server(server: object) -> None:
    api_url = server.api_url
    result = invoke("status", "--json", "--db-url", server.db_url, env={"SUPADESK_PORT": api_url.rsplit(":", 1)[1]})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["server_running"] is True


UNREACHABLE = "postgresql://postgres@127.0.0.1:1/sd_fd_nowhere"
COMMANDS = [
    ("db", "migrate"),
    ("db", "status"),
    ("db", "lint"),
    ("db", "seed"),
    ("db", "seed", "demo"),
    ("db", "reset", "--yes"),
    ("status",),
    ("status", "--json"),
    ("admin", "create", "--email", "x@example.com", "--password", "12345678"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:3]) for c in COMMANDS])
def test_unreachable_database_is_one_line_and_a_failure(command: tuple[str, ...]) -> None:
    result = run_supadesk(*command, "--db-url", UNREACHABLE)
    assert result.returncode != 0
    assert stderr_lines(result) == [
        f"error: cannot reach PostgreSQL at {UNREACHABLE}: [Errno 111] Connect call failed ('127.0.0.1', 1)"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_malformed_database_url_is_one_line() -> None:
    result = run_supadesk("db", "status", "--db-url", "mysql://somewhere/db")
    assert result.returncode != 0
    assert len(stderr_lines(result)) == 1 and stderr_lines(result)[0].startswith("error: invalid DSN")
