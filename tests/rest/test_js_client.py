"""Runs tests/js/rest.test.mjs (supabase-js 2.109 under Node) against the session's server.

Node 20 has WebSocket only behind `--experimental-websocket`; supabase-js builds its realtime
client at creation time and needs one.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from tests.conftest import ROOT, RunningServer

JS_DIR = ROOT / "tests" / "js"


def test_supabase_js_rest(server: RunningServer) -> None:
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "@supabase" / "supabase-js").is_dir():
        pytest.fail("Node and tests/js/node_modules are required (run `make install`)")
    env = {**os.environ, "SUPADESK_API_URL": server.api_url, "SUPADESK_ANON_KEY": server.anon_key,
           "SUPADESK_SERVICE_ROLE_KEY": server.service_role_key}
    result = subprocess.run([node, "--experimental-websocket", "--test", "rest.test.mjs"], cwd=JS_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
