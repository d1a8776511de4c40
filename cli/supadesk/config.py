"""Where supadesk finds its project, its data directory and its database."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_URL = "postgresql://postgres@127.0.0.1:5432/supadesk"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 54321


def find_project_dir() -> Path:
    """The directory holding `supabase/config.toml`: SUPADESK_PROJECT_DIR, else the cwd or a parent,
    else the checkout this package was installed from (editable installs)."""
    env = os.environ.get("SUPADESK_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if (candidate / "supabase" / "config.toml").is_file():
            return candidate
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Everything a command or the server needs to know about its surroundings."""

    project_dir: Path = field(default_factory=find_project_dir)
    db_url: str | None = None  # explicit URL (flag or SUPADESK_DB_URL); None means "the default"
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    @property
    def data_dir(self) -> Path:
        env = os.environ.get("SUPADESK_DATA_DIR")
        return Path(env).resolve() if env else self.project_dir / ".supadesk"

    @property
    def supabase_dir(self) -> Path:
        return self.project_dir / "supabase"

    @property
    def migrations_dir(self) -> Path:
        return self.supabase_dir / "migrations"

    @property
    def functions_dir(self) -> Path:
        return self.supabase_dir / "functions"

    @property
    def platform_sql_dir(self) -> Path:
        return self.project_dir / "sql"

    @property
    def frontend_dist(self) -> Path:
        return self.project_dir / "frontend" / "dist"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def load_settings(db_url: str | None = None, host: str | None = None, port: int | None = None) -> Settings:
    """Settings from flags, falling back to SUPADESK_* environment variables and defaults."""
    return Settings(
        db_url=db_url or os.environ.get("SUPADESK_DB_URL") or None,
        host=host or os.environ.get("SUPADESK_HOST") or DEFAULT_HOST,
        port=port or int(os.environ.get("SUPADESK_PORT") or DEFAULT_PORT),
    )
