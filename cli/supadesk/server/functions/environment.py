"""The environment the Deno runtime (and so every function) gets, as Supabase provides it:
SUPABASE_URL (this server), SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, the
project's secrets from `supabase/functions/.env` (and SUPADESK_FUNCTIONS_ENV_FILE, like
`supabase functions serve --env-file`), and — a local convenience — the server's own `SUPADESK_*`
settings except the JWT secret. Nothing else of the server's environment leaks in."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

log = logging.getLogger("supadesk.functions")

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
PASS_THROUGH = (
    "PATH", "HOME", "TZ", "LANG", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    "NPM_CONFIG_REGISTRY", "DENO_CERT", "DENO_TLS_CA_STORE", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
)  # fmt: skip
WITHHELD = frozenset({"SUPADESK_JWT_SECRET"})


def parse_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (`export`, comments, single/double quotes), as dotenv reads them."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return values
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            continue
        name, raw = match.groups()
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            value = raw[1:-1]
            if raw[0] == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
        else:
            value = raw.split(" #", 1)[0].strip()
        values[name] = value
    return values


def secrets(functions_dir: Path) -> dict[str, str]:
    merged = parse_env_file(functions_dir / ".env")
    extra = os.environ.get("SUPADESK_FUNCTIONS_ENV_FILE")
    if extra:
        merged.update(parse_env_file(Path(extra)))
    for name in [n for n in merged if n.startswith("SUPABASE_")]:
        log.warning("functions env: %s is reserved and was skipped (Supabase refuses SUPABASE_ secrets)", name)
        del merged[name]
    return merged


def runtime_env(
    *, api_url: str, anon_key: str, service_role_key: str, db_url: str, functions_dir: Path, deno_dir: Path
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in PASS_THROUGH}
    env.update({k: v for k, v in os.environ.items() if k.startswith("SUPADESK_") and k not in WITHHELD})
    env.update(secrets(functions_dir))
    env.update(
        {
            "SUPABASE_URL": api_url,
            "SUPABASE_ANON_KEY": anon_key,
            "SUPABASE_SERVICE_ROLE_KEY": service_role_key,
            "SUPABASE_DB_URL": db_url,
            "DENO_DIR": str(deno_dir),
            "DENO_NO_UPDATE_CHECK": "1",
            "NO_COLOR": "1",
        }
    )
    return env
