"""The frontend's attachment flow with the unchanged supabase-js (Node), against `supadesk start`."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest
from tests.conftest import ROOT, RunningServer
from tests.storage.conftest import Person

pytestmark = pytest.mark.asyncio(loop_scope="session")

JS_DEPS = ROOT / "tests" / "js"
SCRIPT = Path(__file__).parent / "js" / "attachments.mjs"


async def test_attachment_flow_with_supabase_js(server: RunningServer, visitor: Person, other_visitor: Person) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required for the supabase-js tests"
    assert (JS_DEPS / "node_modules" / "@supabase" / "supabase-js").is_dir(), "run `npm ci` in tests/js"
    env = {
        **os.environ,
        "JS_DEPS": str(JS_DEPS),
        "SUPABASE_URL": server.api_url,
        "ANON_KEY": server.anon_key,
        "VISITOR_TOKEN": visitor.token,
        "OTHER_TOKEN": other_visitor.token,
        "TICKET_ID": str(visitor.ticket_id),
    }
    process = await asyncio.create_subprocess_exec(
        node, "--experimental-websocket", str(SCRIPT), env=env, stdout=PIPE, stderr=PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, stderr.decode()
    results = json.loads(stdout.decode().strip().splitlines()[-1])
    assert results["uploadedPath"].endswith("-screen shot.png")
    assert results["signedStatus"] == 200 and results["signedType"] == "image/png"
    assert results["signedDisposition"].startswith("attachment;") and "report.png" in results["signedDisposition"]
    assert results["signedBytesMatch"] and results["bulkOk"] and results["downloadMatches"] and results["listed"]
    assert results["refusedStatusCode"] == "415"
    assert "does not match" in results["refusedMessage"]
    assert results["otherVisitorError"] == "404"
