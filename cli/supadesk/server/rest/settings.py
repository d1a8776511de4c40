"""REST settings: `[api] max_rows` from supabase/config.toml, the body limit from the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
EXPOSED_SCHEMAS = ("public",)


@dataclass(frozen=True)
class RestSettings:
    max_rows: int | None = 1000
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    schemas: tuple[str, ...] = EXPOSED_SCHEMAS

    @property
    def schema(self) -> str:
        return self.schemas[0]


def load_rest_settings(config_toml: Path) -> RestSettings:
    max_rows: int | None = 1000
    try:
        api = tomllib.loads(config_toml.read_text()).get("api", {})
        value = api.get("max_rows", 1000)
        max_rows = int(value) if value else None
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        pass
    env = os.environ.get("SUPADESK_REST_MAX_BODY_BYTES", "")
    max_body = int(env) if env.isdigit() and int(env) > 0 else DEFAULT_MAX_BODY_BYTES
    return RestSettings(max_rows=max_rows, max_body_bytes=max_body)
