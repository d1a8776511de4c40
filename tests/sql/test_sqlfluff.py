"""`sqlfluff lint sql supabase/migrations` passes with the repository's .sqlfluff (dialect postgres,
lowercase, 120 columns). The same command runs in `make lint`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _sqlfluff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sqlfluff", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_sql_and_migrations_pass_sqlfluff() -> None:
    result = _sqlfluff("lint", "sql", "supabase/migrations")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_config_is_the_house_style(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("SELECT ID FROM PUBLIC.TICKETS;\n")
    result = subprocess.run(
        [sys.executable, "-m", "sqlfluff", "lint", "--config", str(ROOT / ".sqlfluff"), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CP01" in result.stdout  # keywords must be lowercase
