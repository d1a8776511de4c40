"""Edge functions and Storage, measured end to end against a real `supadesk start`.

One self-contained run: a new database and data directory, a server on a free port, then
  1. create-ticket through /functions/v1 versus public.create_ticket through /rest/v1/rpc
     (req/s, p50/p99 at --concurrency concurrent clients),
  2. createSignedUrl per second (one URL per request, and createSignedUrls with 100 per request),
  3. upload and download of 10 MiB (MB/s) versus a plain file copy (with fsync, as uploads do).
Goals: create-ticket p99 <= 50 ms at 20 concurrent; >= 5,000 signed URLs/s; upload >= 100 MB/s.

    .venv/bin/python bench/functions.py [--requests 2000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "cli"))

from supadesk.accounts import NewUser, create_user  # noqa: E402
from supadesk.config import Settings  # noqa: E402
from supadesk.database.locate import with_database  # noqa: E402
from supadesk.database.migrate import migrate  # noqa: E402
from supadesk.database.reset import recreate_database  # noqa: E402
from supadesk.keys import ProjectKeys, load_keys  # noqa: E402
from supadesk.server.functions.upstream import Upstream  # noqa: E402

PG_URL = os.environ.get("SUPADESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BUCKET = "support-attachments"
MIB = 1024 * 1024
TICKETS_PER_VISITOR = 25  # public.create_ticket allows 30 per visitor per hour


@dataclass
class Stack:
    api_url: str
    db_url: str
    keys: ProjectKeys
    data_dir: Path
    server_pid: int


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(s: Stack) -> dict[str, float]:
    """CPU seconds used so far by the server (Python), its Deno runtime, the database backends
    serving it, and this client — so each row can say what one request costs, whatever else runs."""
    totals = {"python": _cpu_seconds(s.server_pid), "deno": 0.0, "postgres": 0.0, "client": time.process_time()}
    database = s.db_url.rsplit("/", 1)[1].encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == s.server_pid and b"deno" in cmdline.split(b"\0")[0]:
            totals["deno"] += _cpu_seconds(int(entry.name))
        elif cmdline.startswith(b"postgres: ") and database in cmdline:
            totals["postgres"] += _cpu_seconds(int(entry.name))
    return totals


@contextmanager
def stack() -> Iterator[Stack]:
    db_url = with_database(PG_URL, f"sd_st_bench_{os.getpid()}")
    data_dir = Path(tempfile.mkdtemp(prefix="sd-st-bench-"))
    asyncio.run(_prepare(db_url))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "SUPADESK_DATA_DIR": str(data_dir),
        "SUPADESK_CREATE_TICKET_LIMIT_PER_IP": "0",  # measure the work, not the limiter's refusals
        "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR": "0",
    }
    log = open(data_dir / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "supadesk", "start", "--db-url", db_url, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        api_url = f"http://127.0.0.1:{port}"
        _wait_ready(api_url, server)
        yield Stack(api_url, db_url, load_keys(data_dir), data_dir, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        asyncio.run(_drop(db_url))
        shutil.rmtree(data_dir, ignore_errors=True)


async def _prepare(db_url: str) -> None:
    await recreate_database(db_url)
    await migrate(Settings(project_dir=ROOT), db_url)


async def _drop(db_url: str) -> None:
    conn = await asyncpg.connect(with_database(db_url, "postgres"))
    try:
        await conn.execute(f'drop database if exists "{db_url.rsplit("/", 1)[1]}" with (force)')
    finally:
        await conn.close()


def _wait_ready(api_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("supadesk start exited; see its log")
        try:
            if httpx.get(f"{api_url}/supadesk-config.json", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("supadesk start did not answer within 90 s")


async def new_visitor(db_url: str, keys: ProjectKeys, with_ticket: bool = False) -> tuple[str, str | None]:
    conn = await asyncpg.connect(db_url)
    try:
        user = await create_user(conn, NewUser(None, None, {}, {}, is_anonymous=True))
        ticket = None
        if with_ticket:
            customer = await conn.fetchval(
                "insert into public.customers (user_id, email) values ($1, 'bench@example.com') returning id",
                user["id"],
            )
            ticket = str(
                await conn.fetchval(
                    "insert into public.tickets (customer_id, subject) values ($1, 'b') returning id", customer
                )
            )
    finally:
        await conn.close()
    now = int(time.time())
    token = keys.sign({"sub": str(user["id"]), "role": "authenticated", "aud": "authenticated", "iat": now,
                       "exp": now + 7200, "is_anonymous": True, "session_id": str(uuid.uuid4())})  # fmt: skip
    return token, ticket


class LoadClient:
    """Keep-alive HTTP/1.1 on h11 (the functions proxy's own client): the load generator shares the
    2 cores with the server, so it must cost less than httpx does per request."""

    def __init__(self, api_url: str) -> None:
        self.port = int(api_url.rsplit(":", 1)[1])
        self.upstream = Upstream(max_idle=256)

    async def post_json(self, path: str, body: object, headers: dict[str, str]) -> tuple[int, bytes]:
        payload = json.dumps(body).encode()
        raw = [(b"host", f"127.0.0.1:{self.port}".encode()), (b"content-type", b"application/json"),
               (b"content-length", str(len(payload)).encode())]  # fmt: skip
        raw += [(k.encode(), v.encode()) for k, v in headers.items()]

        async def once() -> AsyncIterator[bytes]:
            yield payload

        response = await self.upstream.request(self.port, "POST", path.encode(), raw, once())
        data = b"".join([chunk async for chunk in response.chunks()])
        await response.aclose()
        return response.status, data


@dataclass
class Result:
    name: str
    count: int
    seconds: float
    latencies_ms: list[float]
    failures: int
    cpu_ms: dict[str, float]  # per request

    def row(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = lat[len(lat) // 2] if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
        cpu = self.cpu_ms
        server = cpu["python"] + cpu["deno"] + cpu["postgres"]
        return (
            f"| {self.name} | {self.count / self.seconds:,.0f} | {p50:.1f} | {p99:.1f} | {self.failures} | "
            f"{cpu['python']:.2f} / {cpu['deno']:.2f} / {cpu['postgres']:.2f} | {cpu['client']:.2f} | "
            f"{2000 / server:,.0f} |"
        )


async def load(
    name: str, total: int, concurrency: int, call: Callable[[int], Awaitable[bool]], stack: Stack | None = None
) -> Result:
    latencies: list[float] = []
    failures = 0
    counter = iter(range(total))

    async def worker() -> None:
        nonlocal failures
        for index in counter:
            started = time.perf_counter()
            ok = await call(index)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += 0 if ok else 1

    before = cpu_snapshot(stack) if stack else {}
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    after = cpu_snapshot(stack) if stack else {}
    cpu = {key: (after[key] - before[key]) * 1000 / total for key in after}
    return Result(name, total, seconds, latencies, failures, cpu)


async def bench_create_ticket(s: Stack, client: LoadClient, total: int, concurrency: int) -> list[Result]:
    warm = min(50, total)
    # Each visitor is used at most TICKETS_PER_VISITOR times, and concurrent requests use different
    # visitors (create_ticket serialises one visitor's creates with an advisory lock).
    per_kind = max(2 * concurrency, (total + warm) // TICKETS_PER_VISITOR + 1)
    pool = iter([(await new_visitor(s.db_url, s.keys))[0] for _ in range(2 * per_kind)])
    results = []
    for name, url, ok_status in (
        ("create-ticket via /functions/v1", "/functions/v1/create-ticket", (200, 201)),
        ("public.create_ticket via /rest/v1/rpc", "/rest/v1/rpc/create_ticket", (200,)),
    ):
        slots = [next(pool) for _ in range(per_kind)]

        async def call(
            index: int, url: str = url, slots: list[str] = slots, ok_status: tuple[int, ...] = ok_status
        ) -> bool:
            token = slots[index % len(slots)]
            body = {"subject": f"Bench {index}", "message": "Hello, I need help.", "email": "bench@example.com",
                    "name": "Bench", "client_id": str(uuid.uuid4())}  # fmt: skip
            headers = {"apikey": s.keys.anon_key, "Authorization": f"Bearer {token}"}
            status, _ = await client.post_json(url, body, headers)
            return status in ok_status

        async def measured(index: int, call: Callable[[int], Awaitable[bool]] = call) -> bool:
            return await call(index + warm)  # after the warm-up's visitors and client ids

        await load("warm-up", warm, 5, call)
        results.append(await load(name, total, concurrency, measured, s))
    return results


async def bench_signing(
    s: Stack, client: httpx.AsyncClient, fast: LoadClient, total: int, concurrency: int
) -> list[Result]:
    token, ticket = await new_visitor(s.db_url, s.keys, with_ticket=True)
    headers = {"apikey": s.keys.anon_key, "Authorization": f"Bearer {token}"}
    paths = [f"tickets/{ticket}/{i:03d}.png" for i in range(100)]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    for path in paths:
        response = await client.post(f"{s.api_url}/storage/v1/object/{BUCKET}/{path}", content=png,
                                     headers={**headers, "content-type": "image/png"})  # fmt: skip
        response.raise_for_status()

    async def one(index: int) -> bool:
        status, _ = await fast.post_json(
            f"/storage/v1/object/sign/{BUCKET}/{paths[index % 100]}", {"expiresIn": 60}, headers
        )
        return status == 200

    async def bulk(index: int) -> bool:
        status, data = await fast.post_json(
            f"/storage/v1/object/sign/{BUCKET}", {"expiresIn": 60, "paths": paths}, headers
        )
        return status == 200 and all(item["signedURL"] for item in json.loads(data))

    await load("warm-up", 100, concurrency, one)
    single = await load("createSignedUrl (1 URL/request)", total, concurrency, one, s)
    batched = await load("createSignedUrls (100 URLs/request)", max(20, total // 20), concurrency, bulk, s)
    batched.count *= 100  # report URLs, not requests
    batched.cpu_ms = {key: value / 100 for key, value in batched.cpu_ms.items()}
    batched.name += ", per URL"
    return [single, batched]


async def bench_transfer(s: Stack, client: httpx.AsyncClient, rounds: int) -> dict[str, float]:
    token, ticket = await new_visitor(s.db_url, s.keys, with_ticket=True)
    headers = {"apikey": s.keys.anon_key, "Authorization": f"Bearer {token}"}
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(10 * MIB - 8)
    up, down = [], []
    for i in range(rounds):
        path = f"tickets/{ticket}/big-{i}.png"
        started = time.perf_counter()
        response = await client.post(f"{s.api_url}/storage/v1/object/{BUCKET}/{path}", content=data,
                                     headers={**headers, "content-type": "image/png"})  # fmt: skip
        up.append(time.perf_counter() - started)
        response.raise_for_status()
        signed = await client.post(
            f"{s.api_url}/storage/v1/object/sign/{BUCKET}/{path}", json={"expiresIn": 60}, headers=headers
        )
        started = time.perf_counter()
        got = await client.get(f"{s.api_url}/storage/v1{signed.json()['signedURL']}")
        down.append(time.perf_counter() - started)
        assert got.content == data
    copies = await asyncio.to_thread(_plain_copies, data, rounds)
    mb = len(data) / 1e6
    return {
        name: mb / statistics.median(times) for name, times in (("upload", up), ("download", down), ("copy", copies))
    }


def _plain_copies(data: bytes, rounds: int) -> list[float]:
    """Seconds per copy of a file of `data` (copy + fsync, the baseline for an upload)."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.bin"
        source.write_bytes(data)
        for i in range(rounds):
            target = Path(tmp) / f"copy-{i}.bin"
            started = time.perf_counter()
            shutil.copyfile(source, target)
            with open(target, "rb+") as fh:
                os.fsync(fh.fileno())
            times.append(time.perf_counter() - started)
    return times


async def run(s: Stack, total: int, concurrency: int) -> None:
    load_before = os.getloadavg()[0]
    limits = httpx.Limits(max_connections=concurrency + 5, max_keepalive_connections=concurrency + 5)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        fast = LoadClient(s.api_url)
        rows = [
            *await bench_create_ticket(s, fast, total, concurrency),
            *await bench_signing(s, client, fast, total, concurrency),
        ]
        fast.upstream.close()
        transfer = await bench_transfer(s, client, 8)
    print(
        f"\n{concurrency} concurrent clients, {total} requests per row, {os.cpu_count()} cores, "
        f"1-min load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after the run\n"
    )
    print(
        "| operation | req/s | p50 ms | p99 ms | failures | server CPU ms/req python / deno / postgres "
        "| client CPU ms/req | req/s the server CPU allows on 2 idle cores |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for row in rows:
        print(row.row())
    print("\n| 10 MiB | MB/s |\n|---|---:|")
    print(f"| upload (POST /storage/v1/object, RLS + content check + fsync) | {transfer['upload']:,.0f} |")
    print(f"| download (signed URL) | {transfer['download']:,.0f} |")
    print(f"| plain file copy + fsync | {transfer['copy']:,.0f} |")
    print(json.dumps({"rows": [r.row() for r in rows], "transfer": transfer}), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    with stack() as s:
        asyncio.run(run(s, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
