"""`/functions/v1`: the project's edge functions (supabase/functions/<name>/index.ts) on real Deno.

A supervised Deno process hosts every function (supervisor.py + runtime/main.ts); the proxy
(proxy.py) applies `verify_jwt` from config.toml and streams requests and responses. Function log
lines go to the server log and to `<data_dir>/functions.log` (`supadesk functions logs [name]`).
Settings: SUPADESK_FUNCTIONS_TIMEOUT (seconds per invocation, default 150),
SUPADESK_FUNCTIONS_BOOT_TIMEOUT (seconds a request waits for the runtime to start, default 30),
SUPADESK_DENO (the deno binary; default: the one from the `deno` PyPI package),
SUPADESK_FUNCTIONS_WATCH (restart the runtime when function files change; default on),
SUPADESK_FUNCTIONS=off (no Deno at all: every call answers 503 FUNCTIONS_DISABLED — for servers
that only serve the other APIs, such as a second realtime process).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from starlette.types import Receive, Scope, Send

from supadesk.server.functions.environment import runtime_env
from supadesk.server.functions.logs import FunctionLog, log_path
from supadesk.server.functions.proxy import FunctionsProxy
from supadesk.server.functions.registry import Registry
from supadesk.server.functions.supervisor import MAIN_TS, DenoSupervisor, RuntimeConfig
from supadesk.server.storage.drain import DrainBody
from supadesk.server.surface import ServerState, Surface

DEFAULT_TIMEOUT_S = 150.0
DEFAULT_BOOT_TIMEOUT_S = 30.0


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def _switched_on(name: str) -> bool:
    return os.environ.get(name, "1").lower() not in ("0", "false", "no", "off")


_DISABLED = json.dumps(
    {"code": "FUNCTIONS_DISABLED", "message": "Edge functions are turned off on this server (SUPADESK_FUNCTIONS=off)"}
).encode()


async def _disabled(scope: Scope, receive: Receive, send: Send) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(_DISABLED)).encode())]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": _DISABLED})


def find_deno() -> str:
    configured = os.environ.get("SUPADESK_DENO")
    if configured:
        return configured
    try:
        from deno import find_deno_bin

        return str(find_deno_bin())
    except (ImportError, FileNotFoundError, OSError):
        return shutil.which("deno") or "deno"


def _local_api_url(state: ServerState) -> str:
    host = state.settings.host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{state.settings.port}"


def create_surface(state: ServerState) -> Surface:
    if not _switched_on("SUPADESK_FUNCTIONS"):
        return Surface(prefix="/functions/v1", app=DrainBody(_disabled), requires_api_key=False)
    settings = state.settings
    functions_dir = settings.functions_dir.resolve()
    runtime_dir = settings.data_dir / "functions"
    deno_dir = Path(os.environ.get("SUPADESK_DENO_DIR") or runtime_dir / "deno")
    tmp_dir = runtime_dir / "tmp"
    for directory in (deno_dir, tmp_dir):
        directory.mkdir(parents=True, exist_ok=True)
    registry = Registry(settings.supabase_dir, functions_dir)

    def env() -> dict[str, str]:  # re-read at every (re)start, so edits to .env apply
        values = runtime_env(
            api_url=_local_api_url(state),
            anon_key=state.keys.anon_key,
            service_role_key=state.keys.service_role_key,
            db_url=state.db_url,
            functions_dir=functions_dir,
            deno_dir=deno_dir,
        )
        return {**values, "TMPDIR": str(tmp_dir), "SUPADESK_FUNCTIONS_DIR": str(functions_dir)}

    watching = _switched_on("SUPADESK_FUNCTIONS_WATCH")
    config_file = next((functions_dir / n for n in ("deno.json", "deno.jsonc") if (functions_dir / n).is_file()), None)
    config = RuntimeConfig(
        deno=find_deno(),
        env=env,
        cwd=functions_dir if functions_dir.is_dir() else settings.project_dir,
        allow_read=[settings.supabase_dir.resolve(), deno_dir.resolve(), MAIN_TS.parent, tmp_dir.resolve()],
        allow_write=[tmp_dir.resolve()],
        config_file=config_file,
        preload=lambda: {name: spec.entrypoint.as_uri() for name, spec in registry.all().items()},
        watch=[functions_dir, settings.supabase_dir / "config.toml"] if watching else [],
    )
    supervisor = DenoSupervisor(config, FunctionLog(log_path(settings.data_dir)))
    state.extras["functions_supervisor"] = supervisor
    proxy = FunctionsProxy(
        registry,
        supervisor,
        state.keys,
        _seconds("SUPADESK_FUNCTIONS_TIMEOUT", DEFAULT_TIMEOUT_S),
        _seconds("SUPADESK_FUNCTIONS_BOOT_TIMEOUT", DEFAULT_BOOT_TIMEOUT_S),
    )

    async def startup() -> None:
        supervisor.start()

    async def shutdown() -> None:
        await supervisor.stop()
        await proxy.close()

    return Surface(
        prefix="/functions/v1",
        app=DrainBody(proxy),
        startup=startup,
        shutdown=shutdown,
        requires_api_key=False,
        handles_cors=True,
    )
