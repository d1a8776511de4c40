"""Realtime benchmark, one self-contained run: a private PostgreSQL cluster, its own server.

  .venv/bin/python bench/realtime.py

(a) commit → client latency, idle (visitor subscription with the helpdesk's RLS policies);
(c) pgbench INSERT tps with change capture on (server decoding the slot) ÷ off (no server);
(e) memory per idle joined connection (server RSS delta over N sockets).
Load clients are raw `websockets` clients pinned to CPU 1 (server on CPU 0) where taskset exists.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "realtime"))
sys.path.insert(0, str(ROOT / "tests"))

import asyncpg  # noqa: E402
import rt_cluster  # noqa: E402
import websockets  # noqa: E402
from rt_support import agent_message, make_agent, make_visitor, start_any_server  # noqa: E402

from supadesk.config import Settings  # noqa: E402
from supadesk.database.migrate import migrate  # noqa: E402
from supadesk.database.reset import recreate_database  # noqa: E402
from supadesk.keys import load_keys  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pin(pid: int, cpu: int) -> None:
    subprocess.run(["taskset", "-pc", str(cpu), str(pid)], capture_output=True, check=False)


async def join(ws: websockets.ClientConnection, topic: str, token: str, bindings: list[dict[str, str]]) -> None:
    payload = {
        "config": {"postgres_changes": bindings, "broadcast": {}, "presence": {}, "private": False},
        "access_token": token,
    }
    await ws.send(
        json.dumps({"topic": f"realtime:{topic}", "event": "phx_join", "payload": payload, "ref": "1", "join_ref": "1"})
    )
    while True:
        message = json.loads(await ws.recv())
        if message["event"] == "phx_reply":
            assert message["payload"]["status"] == "ok", message
            if not bindings:
                return
        if message["event"] == "system":
            return


async def latency(server: object, url: str, n: int = 200) -> dict[str, float]:
    keys = load_keys(Path(os.environ["SUPADESK_DATA_DIR"]))
    db = await asyncpg.connect(url)
    visitor, agent = await make_visitor(db, keys), await make_agent(db, keys)
    ws_url = server.api_url.replace("http", "ws") + f"/realtime/v1/websocket?apikey={server.anon_key}&vsn=1.0.0"  # type: ignore[attr-defined]
    samples: list[float] = []
    async with websockets.connect(ws_url, compression=None) as ws:
        await join(
            ws,
            "bench",
            visitor.token,
            [
                {
                    "event": "INSERT",
                    "schema": "public",
                    "table": "messages",
                    "filter": f"ticket_id=eq.{visitor.ticket_id}",
                }
            ],
        )
        for i in range(n):
            await ws.send(json.dumps({"topic": "phoenix", "event": "heartbeat", "payload": {}, "ref": None}))
            await agent_message(db, keys, agent, visitor.ticket_id, f"m{i}")
            committed = time.perf_counter()
            while True:
                message = json.loads(await ws.recv())
                if message["event"] == "postgres_changes":
                    break
                if message["event"] == "phx_close":
                    raise RuntimeError(message)
            samples.append((time.perf_counter() - committed) * 1000)
            await asyncio.sleep(0.05 + (i % 7) * 0.013)
    await db.close()
    return {
        "n": n,
        "p50_ms": round(pct(samples, 0.5), 2),
        "p99_ms": round(pct(samples, 0.99), 2),
        "max_ms": round(max(samples), 2),
    }


def pgbench(url: str, seconds: int) -> float:
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text("insert into public.bench_rows (body) values ('hello realtime');\n")
    result = subprocess.run(
        ["pgbench", "-n", "-c", "4", "-j", "2", "-M", "prepared", "-T", str(seconds), "-f", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("tps"):
            return float(line.split()[2])
    raise RuntimeError(result.stdout)


async def memory(server: object, n: int) -> dict[str, float]:
    pid = server.process.pid  # type: ignore[attr-defined]
    ws_url = server.api_url.replace("http", "ws") + f"/realtime/v1/websocket?apikey={server.anon_key}&vsn=1.0.0"  # type: ignore[attr-defined]
    await asyncio.sleep(1)
    before = rss_kib(pid)
    sockets = []
    for i in range(n):
        ws = await websockets.connect(ws_url, compression=None)
        await join(ws, f"room-{i % 50}", server.anon_key, [])  # type: ignore[attr-defined]
        sockets.append(ws)
    await asyncio.sleep(2)
    after = rss_kib(pid)
    for ws in sockets:
        await ws.close()
    return {
        "connections": n,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": round((after - before) / n, 1),
    }


async def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import free_port, stop_server

    data_dir = Path(tempfile.mkdtemp(prefix="sd_rt_bench_"))
    os.environ["SUPADESK_DATA_DIR"] = str(data_dir)
    cluster = rt_cluster.create(free_port())
    results: dict[str, object] = {"cpu": os.cpu_count(), "load_avg": os.getloadavg()}
    try:
        url = cluster.url("sd_rt_bench")
        await recreate_database(url)
        await migrate(Settings(project_dir=ROOT), url)
        db = await asyncpg.connect(url)
        await db.execute("create table public.bench_rows (id bigserial primary key, body text not null)")
        await db.execute("alter publication supabase_realtime add table public.bench_rows")
        await db.close()
        # (c) capture off: no server, no slot
        off = [pgbench(url, 5) for _ in range(3)]
        env = {"SUPADESK_REALTIME_MAX_JOINS_PER_SECOND": "100000", "SUPADESK_REALTIME_MAX_CONNECTIONS": "5000"}
        server = start_any_server(url, data_dir, data_dir / "server.log", env=env)
        pin(server.process.pid, 0)
        pin(os.getpid(), 1)
        try:
            await asyncio.sleep(1)
            on = [pgbench(url, 5) for _ in range(3)]
            results["c_write_tax"] = {
                "tps_off_median": statistics.median(off),
                "tps_on_median": statistics.median(on),
                "ratio": round(statistics.median(on) / statistics.median(off), 3),
                "runs_off": off,
                "runs_on": on,
            }
            await asyncio.sleep(5)  # let the capture drain the pgbench backlog
            results["a_latency_idle"] = await latency(server, url, 100)
            results["e_memory"] = await memory(server, 500)
        finally:
            stop_server(server)
    finally:
        rt_cluster.destroy(cluster)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
