"""`supadesk start` processes for the realtime suite, each configured through its environment."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunningServer, start_server, stop_server

# As the shared `server` fixture (tests/conftest.py): all test traffic comes from 127.0.0.1, so the
# per-IP auth and ticket limits are off; the realtime limits are what this suite tests.
NO_RATE_LIMITS = {
    "SUPADESK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS": "0",
    "SUPADESK_AUTH_RATE_LIMIT_ANONYMOUS_USERS": "0",
    "SUPADESK_CREATE_TICKET_LIMIT_PER_IP": "0",
    "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR": "0",
}
# For processes whose tests never invoke an edge function: no Deno runtime at all.
NO_FUNCTIONS = {"SUPADESK_FUNCTIONS": "off"}


def start(db_url: str, data_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> RunningServer:
    """A running `supadesk start` with the suite's settings plus `env`."""
    return start_server(db_url, data_dir, log_path, env={**NO_RATE_LIMITS, **(env or {})})


def stop(server: RunningServer) -> None:
    stop_server(server)
