"""supabase-js `functions.invoke` (what the widget and dashboard call) against the runtime."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
import uuid
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest
from tests.conftest import ROOT, RunningServer

from supadesk.keys import ProjectKeys

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_invoke_with_supabase_js(functions_server: RunningServer, keys: ProjectKeys) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required for the supabase-js tests"
    now = int(time.time())
    token = keys.sign(
        {"sub": str(uuid.uuid4()), "role": "authenticated", "aud": "authenticated", "iat": now, "exp": now + 600}
    )
    env = {
        **os.environ,
        "JS_DEPS": str(ROOT / "tests" / "js"),
        "SUPABASE_URL": functions_server.api_url,
        "ANON_KEY": functions_server.anon_key,
        "USER_TOKEN": token,
    }
    script = Path(__file__).parent / "js" / "invoke.mjs"
    process = await asyncio.create_subprocess_exec(
        node, "--experimental-websocket", str(script), env=env, stdout=PIPE, stderr=PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, stderr.decode()
    results = json.loads(stdout.decode().strip().splitlines()[-1])
    assert results["echoError"] is None
    assert json.loads(json.dumps(results["echoBody"])) == {"hello": "from js"}
    assert results["echoAuth"] and results["echoClientInfo"].startswith("supabase-js")
    assert results["missingIsHttpError"] and results["missingStatus"] == 404
    assert results["missingText"] == "Function not found"
    assert results["crashStatus"] == 500
    assert results["hookText"] == "hook ok"
