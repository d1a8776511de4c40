"""Benchmark of /rest/v1: 50 concurrent visitors with JWT + RLS, against the same SQL on a bare pool.

One self-contained run: create and migrate a database, seed visitors/tickets/messages, start
`supadesk start` on a free port (pinned to CPU 0), drive it with wrk (pinned to CPU 1; a raw asyncio
HTTP/1.1 client when wrk is missing), then run the very same SQL — the request's scope statement
(`RequestPool`) plus the statement the REST surface compiles — over a bare asyncpg pool on uvloop
(also pinned to CPU 0), and print req/s, p50/p99, CPU per request and the ratios. REST and bare
trials alternate and the median trial is reported (machines are noisy).

    .venv/bin/python bench/rest.py [--duration 6] [--trials 3] [--connections 50] [--private-cluster]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("SUPADESK_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
VISITORS, TICKETS_PER_VISITOR, MESSAGES_PER_TICKET = 200, 15, 5

_SEED = [
    """insert into auth.users (instance_id, id, aud, role, is_anonymous, raw_app_meta_data, raw_user_meta_data,
         created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', true,
              '{}', '{}', now(), now() from generate_series(1, $1)""",
    """insert into public.customers (user_id, email, name)
       select id, 'visitor-' || id || '@example.com', 'Visitor' from auth.users""",
    """insert into public.tickets (customer_id, subject)
       select c.id, 'Ticket ' || g from public.customers c, generate_series(1, $1) g""",
    """insert into public.messages (ticket_id, sender_type, sender_id, content)
       select t.id, 'customer', c.user_id, 'Message ' || g
       from public.tickets t join public.customers c on c.id = t.customer_id, generate_series(1, $1) g""",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(cpu: int, argv: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *argv] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else argv


# -- database ----------------------------------------------------------------------------------


async def prepare_database(url: str) -> list[dict[str, Any]]:
    from supadesk.config import Settings
    from supadesk.database.migrate import migrate
    from supadesk.database.reset import recreate_database

    await recreate_database(url)
    await migrate(Settings(project_dir=ROOT), url)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(_SEED[0], VISITORS)
        await conn.execute(_SEED[1])
        await conn.execute(_SEED[2], TICKETS_PER_VISITOR)
        await conn.execute(_SEED[3], MESSAGES_PER_TICKET)
        await conn.execute("analyze")
        rows = await conn.fetch("select c.user_id, array_agg(t.id::text) as tickets from public.customers c "
                                "join public.tickets t on t.customer_id = c.id group by c.user_id")
    finally:
        await conn.close()
    return [{"user_id": str(r["user_id"]), "tickets": list(r["tickets"])} for r in rows]


async def drop_database(url: str) -> None:
    from supadesk.database.locate import with_database

    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(f'drop database if exists "{url.rsplit("/", 1)[-1]}" with (force)')
    finally:
        await conn.close()


def visitor_claims(user_id: str) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": "supadesk", "sub": user_id, "aud": "authenticated", "role": "authenticated", "iat": now,
            "exp": now + 3600, "email": "", "phone": "", "is_anonymous": True, "session_id": str(uuid.uuid4()),
            "aal": "aal1", "amr": [{"method": "anonymous", "timestamp": now}], "app_metadata": {},
            "user_metadata": {}}


# -- CPU accounting (robust where wall-clock throughput is not: the box is shared) ------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (0 for those gone)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            pids += process_tree(int(child))
    return pids


async def backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends serving this database (the server's pool and its other surfaces)."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("select pid from pg_stat_activity where datname = current_database() "
                                "and pid <> pg_backend_pid()")
    finally:
        await conn.close()
    return [row["pid"] for row in rows]


# -- requests ----------------------------------------------------------------------------------


def get_request(visitor: dict[str, Any], ticket: str) -> tuple[str, str, dict[str, str], str]:
    return "GET", f"/rest/v1/tickets?select=*&id=eq.{ticket}", {"Authorization": f"Bearer {visitor['token']}"}, ""


def post_request(visitor: dict[str, Any], ticket: str) -> tuple[str, str, dict[str, str], str]:
    body = json.dumps({"ticket_id": ticket, "sender_type": "customer", "sender_id": visitor["user_id"],
                       "content": "Any news on this?"}, separators=(",", ":"))
    headers = {"Authorization": f"Bearer {visitor['token']}", "Content-Type": "application/json",
               "Prefer": "return=minimal"}
    return "POST", "/rest/v1/messages", headers, body


Request = tuple[str, str, dict[str, str], str]  # method, path?query, headers, body


def request_pool(kind: str, visitors: list[dict[str, Any]], n: int = 2000) -> list[Request]:
    rng = random.Random(7)
    make = get_request if kind == "get" else post_request
    out = []
    for _ in range(n):
        visitor = rng.choice(visitors)
        out.append(make(visitor, rng.choice(visitor["tickets"])))
    return out


# -- load generators ---------------------------------------------------------------------------

_WRK_LUA = """
local reqs = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do table.insert(reqs, line) end
  i = math.random(#reqs)
end
request = function()
  i = i % #reqs + 1
  local m, p, h, b = reqs[i]:match("^(%S+)\\t(%S+)\\t(.-)\\t(.*)$")
  local headers = {}
  for k, v in h:gmatch("([^\\31]+)\\30([^\\31]*)") do headers[k] = v end
  if b == "" then b = nil end
  return wrk.format(m, p, headers, b)
end
"""


def run_wrk(api: str, anon: str, reqs: list[tuple[str, str, dict[str, str], str]], duration: int,
            connections: int, workdir: Path) -> dict[str, Any]:
    lines = []
    for method, path, headers, body in reqs:
        all_headers = {"apikey": anon, **headers}
        encoded = "\x1f".join(f"{k}\x1e{v}" for k, v in all_headers.items()) + "\x1f"
        lines.append(f"{method}\t{path}\t{encoded}\t{body}")
    (workdir / "reqs.txt").write_text("\n".join(lines) + "\n")
    (workdir / "bench.lua").write_text(_WRK_LUA)
    cmd = pinned(1, ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s",
                     str(workdir / "bench.lua"), api, "--", str(workdir / "reqs.txt")])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pcts = {p: _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pcts["50"], "p99": pcts["99"], "errors": int(errors.group(1)) if errors else 0}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


async def run_raw_client(host: str, port: int, anon: str, reqs: list[tuple[str, str, dict[str, str], str]],
                         duration: int, connections: int) -> dict[str, Any]:
    """A cheap keep-alive HTTP/1.1 client (used when wrk is not installed)."""
    payloads = []
    for method, path, headers, body in reqs:
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\napikey: {anon}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head += f"Content-Length: {len(body.encode())}\r\n\r\n"
        payloads.append(head.encode() + body.encode())
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration

    async def worker(offset: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        i = offset
        while time.perf_counter() < stop:
            started = time.perf_counter()
            writer.write(payloads[i % len(payloads)])
            head = await reader.readuntil(b"\r\n\r\n")
            found = re.search(rb"content-length: (\d+)", head, re.I)
            length = int(found.group(1)) if found else 0
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            errors += not head.startswith((b"HTTP/1.1 2",))
            i += 1
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(n * 37) for n in range(connections)))
    return _summary(latencies, time.perf_counter() - t0, errors)


def _summary(latencies: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"rps": len(ordered) / elapsed, "p50": pick(0.50), "p99": pick(0.99), "errors": errors}


# -- the bare baseline: the same transaction and statement over asyncpg, no HTTP ----------------


async def run_bare(kind: str, url: str, visitors: list[dict[str, Any]], duration: int,
                   connections: int) -> dict[str, Any]:
    from supadesk.server.context import context_from_claims
    from supadesk.server.db import RequestPool
    from supadesk.server.rest.compile import compile_request
    from supadesk.server.rest.execute import one_statement
    from supadesk.server.rest.querystring import shape_query, split_query
    from supadesk.server.rest.request import api_request, parse_payload, route
    from supadesk.server.rest.schema.catalog import load_schema_cache
    from supadesk.server.rest.sql.params import bind

    pool = await RequestPool.open(url)
    admin = await asyncpg.connect(url)
    try:
        schema = await load_schema_cache(admin, "public")
    finally:
        await admin.close()
    jobs = []
    for method, target, headers, body in request_pool(kind, visitors):
        path, _, query = target.removeprefix("/rest/v1").partition("?")
        shape, slots = shape_query(split_query(query))
        payload = parse_payload(route(method, path)[1], body.encode(), "application/json")
        lowered = {k.lower(): v for k, v in headers.items()}
        compiled = compile_request(schema, api_request(method, path, shape, lowered, payload.shape, ("public",)),
                                   1000)
        token = headers["Authorization"].removeprefix("Bearer ")
        claims = next(v for v in visitors if v["token"] == token)["claims"]
        ctx = context_from_claims(claims, method=method, path=path, headers=lowered)
        jobs.append((ctx, compiled, bind(compiled.main.sources, slots, payload.text)))
    latencies: list[float] = []

    async def worker(offset: int, stop: float) -> None:
        i = offset
        while time.perf_counter() < stop:
            ctx, compiled, args = jobs[i % len(jobs)]
            started = time.perf_counter()
            scope = pool.statement if one_statement(compiled) else pool.transaction
            async with scope(ctx, readonly=compiled.readonly) as conn:
                if compiled.mode == "minimal":
                    await conn.execute(compiled.main.sql, *args)
                else:
                    await conn.fetchrow(compiled.main.sql, *args)
            latencies.append(time.perf_counter() - started)
            i += 1

    async def run(seconds: float) -> float:
        stop = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(worker(n * 37, stop) for n in range(connections)))
        return time.perf_counter() - started

    await run(3)  # warm-up: fills the pool and every connection's statement cache
    latencies.clear()
    backends = await backend_pids(url)
    cpu0, pg0 = time.process_time(), proc_cpu(backends)
    elapsed = await run(duration)
    cpu1, pg1 = time.process_time(), proc_cpu(backends)
    await pool.close()
    done = max(len(latencies), 1)
    return {**_summary(latencies, elapsed, 0), "cpu_us": 1e6 * (cpu1 - cpu0) / done,
            "pg_us": 1e6 * (pg1 - pg0) / done}


# -- orchestration -----------------------------------------------------------------------------


def start_server(url: str, port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SUPADESK_DATA_DIR": str(data_dir), "SUPADESK_PROJECT_DIR": str(ROOT)}
    log = open(data_dir / "server.log", "ab")
    cmd = pinned(0, [sys.executable, "-m", "supadesk", "start", "--db-url", url, "--port", str(port)])
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"supadesk start exited:\n{(data_dir / 'server.log').read_text()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/rest/v1/tickets?limit=1", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("supadesk start did not answer within 90 s")


def load(kind: str, server: subprocess.Popen[bytes], url: str, port: int, anon: str, visitors: list[dict[str, Any]],
         duration: int, connections: int, workdir: Path) -> dict[str, Any]:
    reqs = request_pool(kind, visitors)
    api = f"http://127.0.0.1:{port}"
    wrk = shutil.which("wrk") is not None
    if wrk:
        run_wrk(api, anon, reqs, 3, connections, workdir)  # warm-up: plan cache, prepared statements, pool
    else:
        asyncio.run(run_raw_client("127.0.0.1", port, anon, reqs, 3, connections))
    pids, backends = process_tree(server.pid), asyncio.run(backend_pids(url))
    cpu0, pg0 = proc_cpu(pids), proc_cpu(backends)
    if wrk:
        result = {**run_wrk(api, anon, reqs, duration, connections, workdir), "client": "wrk"}
    else:
        result = {**asyncio.run(run_raw_client("127.0.0.1", port, anon, reqs, duration, connections)),
                  "client": "asyncio"}
    done = max(result["rps"] * duration, 1)
    return {**result, "cpu_us": 1e6 * (proc_cpu(pids) - cpu0) / done, "pg_us": 1e6 * (proc_cpu(backends) - pg0) / done}


def bare_subprocess(kind: str, url: str, data_file: Path, duration: int, connections: int) -> dict[str, Any]:
    cmd = pinned(0, [sys.executable, __file__, "--bare", kind, "--db-url", url, "--data", str(data_file),
                     "--duration", str(duration), "--connections", str(connections)])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def bare_main(args: argparse.Namespace) -> None:
    import uvloop  # as the server runs

    visitors = json.loads(Path(args.data).read_text())
    result = uvloop.run(run_bare(args.bare, args.db_url, visitors, args.duration, args.connections))
    print(json.dumps(result))


def environment(pg_url: str) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, asyncpg {asyncpg.__version__}, "
            f"PostgreSQL at {pg_url.rsplit('@', 1)[-1]}, load average {os.getloadavg()[0]:.2f}")


GOALS = {"get": (3000, 25.0), "post": (2000, 25.0)}
NAMES = {"get": "GET one ticket by id", "post": "POST one message, return=minimal"}


def _rps(result: dict[str, Any]) -> str:
    low, high = result["range"]
    return f"{result['rps']:,.0f} ({low:,.0f}–{high:,.0f})"


def report(rows: list[tuple[str, str, dict[str, Any], dict[str, Any]]], connections: int) -> str:
    lines = [f"| server | test ({connections} clients, visitor JWT + RLS) | req/s (trials) | p50 ms | p99 ms | "
             "non-2xx | CPU µs/req server / PG | bare req/s (trials) | bare p50 | bare p99 | "
             "bare CPU µs/req client / PG | ratio | goal |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for config, kind, r, b in rows:
        rps_goal, p99_goal = GOALS[kind]
        met = "met" if r["rps"] >= rps_goal and r["p99"] <= p99_goal and not r["errors"] else "not met"
        lines.append(f"| {config} | {NAMES[kind]} | {_rps(r)} | {r['p50']:.1f} | {r['p99']:.1f} | "
                     f"{r['errors']} | {r['cpu_us']:.0f} / {r['pg_us']:.0f} | {_rps(b)} | {b['p50']:.1f} | "
                     f"{b['p99']:.1f} | {b['cpu_us']:.0f} / {b['pg_us']:.0f} | {r['rps'] / b['rps']:.2f} | "
                     f"≥ {rps_goal:,}/s, p99 ≤ {p99_goal:.0f} ms: {met} |")
    return "\n".join(lines)


def start_private_cluster() -> tuple[str, Path]:
    """A throwaway PostgreSQL cluster on a free port (the embedded one's recipe), away from other databases."""
    from supadesk.database import embedded

    root = Path(tempfile.mkdtemp(prefix="supadesk-bench-pg-"))
    root.chmod(0o755)  # the cluster runs as the postgres user
    port = free_port()
    embedded.PORT = port
    embedded.SETTINGS["port"] = str(port)
    embedded.start(root)
    postmaster = (embedded.cluster_dir(root) / "data" / "postmaster.pid").read_text().split()[0]
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:  # backends inherit: PostgreSQL beside wrk
        for pid in process_tree(int(postmaster)):
            subprocess.run(["taskset", "-p", "-c", "1", str(pid)], capture_output=True, check=False)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres", root


def _median(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The trial with the median req/s, annotated with the range of all trials."""
    ordered = sorted(results, key=lambda r: r["rps"])
    return {**ordered[len(ordered) // 2], "range": (ordered[0]["rps"], ordered[-1]["rps"])}


def run_configs(url: str, workdir: Path, visitors: list[dict[str, Any]], anon: str,
                args: argparse.Namespace) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """REST and bare trials alternate (the box is shared: interference hits both alike)."""
    rows = []
    port = free_port()
    server = start_server(url, port, workdir)
    try:
        for kind in ("get", "post"):
            rest, bare = [], []
            for _ in range(args.trials):
                rest.append(load(kind, server, url, port, anon, visitors, args.duration, args.connections, workdir))
                bare.append(bare_subprocess(kind, url, workdir / "visitors.json", args.duration, args.connections))
            rows.append(("supadesk start", kind, _median(rest), _median(bare)))
    finally:
        server.terminate()
        server.wait(timeout=20)
    return rows


def run(args: argparse.Namespace, pg_url: str) -> None:
    from supadesk.database.locate import with_database
    from supadesk.keys import load_keys

    url = with_database(pg_url, f"supadesk_bench_{os.getpid()}")
    workdir = Path(tempfile.mkdtemp(prefix="supadesk-bench-"))
    print(f"seeding {VISITORS} visitors × {TICKETS_PER_VISITOR} tickets × {MESSAGES_PER_TICKET} messages …")
    try:
        visitors = asyncio.run(prepare_database(url))
        keys = load_keys(workdir)
        for visitor in visitors:
            visitor["claims"] = visitor_claims(visitor["user_id"])
            visitor["token"] = keys.sign(visitor["claims"])
        (workdir / "visitors.json").write_text(json.dumps(visitors))
        rows = run_configs(url, workdir, visitors, keys.anon_key, args)
        print(environment(pg_url))
        print(f"load generator: {rows[0][2]['client']}; server and bare pool pinned to CPU 0, load on CPU 1\n")
        print(report(rows, args.connections))
    finally:
        asyncio.run(drop_database(url))
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=int, default=6, help="seconds per measurement (after 3 s warm-up)")
    parser.add_argument("--trials", type=int, default=3, help="measurements per test; the median is reported")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--private-cluster", action="store_true",
                        help="a throwaway PostgreSQL cluster pinned to CPU 1 instead of SUPADESK_BENCH_PG_URL")
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "cli"))
    if args.bare:
        bare_main(args)
        return
    os.environ.pop("SUPADESK_JWT_SECRET", None)
    if not args.private_cluster:
        run(args, PG_URL)
        return
    from supadesk.database import embedded

    pg_url, root = start_private_cluster()
    try:
        run(args, pg_url)
    finally:
        embedded.stop(root)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
