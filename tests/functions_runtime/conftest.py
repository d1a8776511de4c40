"""A `supadesk start` whose project holds test-only functions (project_template/), copied to a temp
dir and selected with SUPADESK_PROJECT_DIR; the database is the session's, already migrated."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import ROOT, RunningServer, start_server, stop_server

TEMPLATE = Path(__file__).parent / "project_template"
TIMEOUT_S = 3


def _project(base: Path) -> Path:
    project = base / "project"
    shutil.copytree(TEMPLATE, project)
    (project / "sql").symlink_to(ROOT / "sql")
    (project / "supabase" / "migrations").symlink_to(ROOT / "supabase" / "migrations")
    functions = project / "supabase" / "functions"
    (functions / ".env").write_text('SD_ST_SECRET="from dotenv"\nSUPABASE_URL=http://must-not-override.example\n')
    (functions / "broken").mkdir()
    (functions / "broken" / "index.ts").write_text('Deno.serve(() => new Response("never" ;\n')  # a syntax error
    return project


@pytest.fixture(scope="session")
def functions_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("functions-runtime"))


@pytest.fixture(scope="session")
def functions_server(db_url: str, data_dir: Path, functions_project: Path) -> Iterator[RunningServer]:
    project = functions_project
    env = {
        "SUPADESK_PROJECT_DIR": str(project),
        "SUPADESK_FUNCTIONS_TIMEOUT": str(TIMEOUT_S),
        "SD_ST_SENTINEL": "the server's environment must not leak into functions",
        "SUPADESK_SD_ST_SETTING": "passed through",
    }
    running = start_server(db_url, data_dir, project.parent / "server.log", env=env)
    yield running
    stop_server(running)


def runtime_pids(server: RunningServer) -> list[int]:
    """The Deno processes the server started (its children running `deno`)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == server.process.pid and cmdline and os.path.basename(cmdline[0]) == b"deno":
            pids.append(int(entry.name))
    return pids
