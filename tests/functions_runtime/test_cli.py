"""`supadesk functions list` shows the functions `supadesk start` serves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_functions_list_shows_what_start_serves(functions_project: Path) -> None:
    env = {**os.environ, "SUPADESK_PROJECT_DIR": str(functions_project)}
    shown = subprocess.run(
        [sys.executable, "-m", "supadesk", "functions", "list"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    rows = {line.split()[0]: line for line in shown.stdout.splitlines() if line.strip()}
    assert {"echo", "public-hook", "stream", "default-export"} <= set(rows)
    assert "disabled-fn" not in rows and "_shared" not in rows
    assert "no verify_jwt" in rows["public-hook"] and "no verify_jwt" not in rows["echo"]
