"""Database benchmark: bulk-seed the demo (100,000 tickets / ~1,000,000 messages by default), then time
the hot read paths under RLS as `authenticated` (agent or visitor claims, set exactly as the server
does with `apply_scope`) against the same query as `service_role`, in the same run, interleaved.

    .venv/bin/python bench/db.py [--tickets 100000 --messages-per-ticket 10] [--iterations 400]
                                 [--reuse] [--explain]

It uses its own database (`sd_fd_bench` on SUPADESK_TEST_PG_URL's server, recreated unless --reuse).
Each sample is one request's database work: BEGIN, the scope statement, the query, COMMIT.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "cli"))

from supadesk.config import Settings  # noqa: E402
from supadesk.database import demo  # noqa: E402
from supadesk.database.demo_plan import staff_id  # noqa: E402
from supadesk.database.locate import with_database  # noqa: E402
from supadesk.database.migrate import migrate  # noqa: E402
from supadesk.database.reset import recreate_database  # noqa: E402
from supadesk.server.context import RequestContext, context_from_claims  # noqa: E402
from supadesk.server.db import apply_scope  # noqa: E402

PG_URL = os.environ.get("SUPADESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
COLUMNS = "id, number, customer_id, subject, status, priority, assignee_id, created_at, updated_at, last_message_at"
AGENT_LIST = f"select {COLUMNS} from public.tickets where status = $1 order by last_message_at desc limit 50"
# What the widget sends today (frontend/widget/src/frame/api/data.ts): no filter, RLS picks the rows.
WIDGET_LIST = f"select {COLUMNS} from public.tickets order by created_at desc limit 100"
OWN_LIST = f"select {COLUMNS} from public.tickets where customer_id = $1 order by created_at desc limit 100"
CONVERSATION = (
    "select id, ticket_id, sender_type, sender_id, content, client_id, created_at from public.messages"
    " where ticket_id = $1 order by created_at, id limit 200"
)


def claims(user_id: str | None, *, anonymous: bool = False) -> dict[str, Any]:
    if user_id is None:
        return {"iss": "supadesk", "role": "service_role"}
    return {
        "aud": "authenticated", "sub": user_id, "role": "authenticated", "email": "", "phone": "",
        "app_metadata": {}, "user_metadata": {}, "aal": "aal1", "session_id": str(uuid.uuid4()),
        "amr": [{"method": "anonymous" if anonymous else "password", "timestamp": 1767225600}],
        "is_anonymous": anonymous,
    }  # fmt: skip


@dataclass
class Case:
    name: str
    rls_ctx: RequestContext
    rls_sql: str
    rls_args: tuple[Any, ...]
    service_sql: str
    service_args: tuple[Any, ...]


@dataclass
class Figures:
    case: str
    rows: int
    rls: list[float]
    service: list[float]

    @staticmethod
    def pct(samples: list[float], q: float) -> float:
        ordered = sorted(samples)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def line(self) -> dict[str, float]:
        r50, r99 = self.pct(self.rls, 0.5), self.pct(self.rls, 0.99)
        s50, s99 = self.pct(self.service, 0.5), self.pct(self.service, 0.99)
        return {"r50": r50, "r99": r99, "s50": s50, "s99": s99, "x50": r50 / s50, "x99": r99 / s99}


async def request(conn: asyncpg.Connection, ctx: RequestContext, sql: str, args: tuple[Any, ...]) -> tuple[float, int]:
    """One request's database work, as the server runs it; milliseconds and rows."""
    started = time.perf_counter()
    async with conn.transaction(readonly=True):
        await apply_scope(conn, ctx)
        rows = await conn.fetch(sql, *args)
    return (time.perf_counter() - started) * 1000, len(rows)


async def measure(conn: asyncpg.Connection, case: Case, iterations: int, service: RequestContext) -> Figures:
    rls_rows = service_rows = 0
    for _ in range(max(20, iterations // 10)):  # warm up caches and prepared statements
        await request(conn, case.rls_ctx, case.rls_sql, case.rls_args)
        await request(conn, service, case.service_sql, case.service_args)
    figures = Figures(case.name, 0, [], [])
    for i in range(iterations):  # interleaved, alternating who goes first
        order = [
            (True, case.rls_ctx, case.rls_sql, case.rls_args),
            (False, service, case.service_sql, case.service_args),
        ]
        for is_rls, ctx, sql, args in order if i % 2 else reversed(order):
            ms, rows = await request(conn, ctx, sql, args)
            (figures.rls if is_rls else figures.service).append(ms)
            rls_rows, service_rows = (rows, service_rows) if is_rls else (rls_rows, rows)
    if rls_rows != service_rows:
        raise SystemExit(f"{case.name}: RLS returned {rls_rows} rows, service_role {service_rows}: not the same query")
    figures.rows = rls_rows
    return figures


async def explain(conn: asyncpg.Connection, case: Case) -> str:
    tx = conn.transaction()
    await tx.start()
    try:
        await apply_scope(conn, case.rls_ctx)
        plan = await conn.fetch("explain (analyze, buffers, costs off, timing off) " + case.rls_sql, *case.rls_args)
    finally:
        await tx.rollback()
    return "\n".join(r[0] for r in plan)


async def seed(url: str, tickets: int, per_ticket: float, reuse: bool) -> demo.DemoResult | None:
    if reuse:
        try:
            conn = await asyncpg.connect(url)
        except asyncpg.InvalidCatalogNameError:
            pass
        else:
            count = await conn.fetchval("select count(*) from public.tickets")
            await conn.close()
            if count:
                return None
    await recreate_database(url)
    await migrate(Settings(project_dir=ROOT), url)
    result = await demo.seed_demo(url, tickets=tickets, seed=2026, messages_per_ticket=per_ticket, progress=True)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("vacuum analyze")  # the steady state a live database reaches by autovacuum
    finally:
        await conn.close()
    return result


async def cases(conn: asyncpg.Connection) -> list[Case]:
    agent = str(staff_id("maya.chen@supadesk.local"))
    by_size = await conn.fetch(
        "select c.id, c.user_id, count(*) as n from public.customers c join public.tickets t on t.customer_id = c.id"
        " group by c.id order by n, c.id"
    )
    typical, heavy = by_size[len(by_size) // 2], by_size[-1]
    ticket = await conn.fetchval(
        "select t.id from public.tickets t where t.customer_id = $1"
        " order by (select count(*) from public.messages m where m.ticket_id = t.id) desc limit 1",
        heavy["id"],
    )
    agent_ctx = context_from_claims(claims(agent))

    def visitor(row: asyncpg.Record) -> RequestContext:
        return context_from_claims(claims(str(row["user_id"]), anonymous=True))

    found: list[Case] = [
        Case("agent: open tickets, newest activity, 50", agent_ctx, AGENT_LIST, ("open",), AGENT_LIST, ("open",))
    ]
    for label, row in ((f"{typical['n']} tickets", typical), (f"{heavy['n']} tickets", heavy)):
        own = (row["id"],)
        found.append(
            Case(f"visitor ({label}): own tickets, filtered by customer_id", visitor(row), OWN_LIST, own, OWN_LIST, own)
        )
        found.append(
            Case(
                f"visitor ({label}): own tickets, unfiltered (widget today)",
                visitor(row),
                WIDGET_LIST,
                (),
                OWN_LIST,
                own,
            )
        )
    conversation = (ticket,)
    found.append(
        Case("visitor: one conversation", visitor(heavy), CONVERSATION, conversation, CONVERSATION, conversation)
    )
    return found


def render(
    figures: list[Figures], seeded: demo.DemoResult | None, args: argparse.Namespace, env: dict[str, str]
) -> str:
    out = [
        "| query | rows | RLS p50 | RLS p99 | service_role p50 | service_role p99 | ratio p50 | ratio p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        v = f.line()
        out.append(
            f"| {f.case} | {f.rows} | {v['r50']:.3f} ms | {v['r99']:.3f} ms | {v['s50']:.3f} ms | {v['s99']:.3f} ms"
            f" | {v['x50']:.2f}× | {v['x99']:.2f}× |"
        )
    head = [f"machine: {env['machine']}; PostgreSQL {env['pg']}; {args.iterations} samples per side, interleaved"]
    if seeded is not None:
        c = seeded.counts
        head.append(
            f"seed: {c['tickets']:,} tickets, {c['messages']:,} messages, {c['analytics']:,} analytics events,"
            f" {c['customers']:,} customers — {seeded.rows:,} rows in {seeded.seconds:.1f} s"
            f" = {seeded.rows_per_second:,.0f} rows/s ({seeded.trigger_bypass})"
        )
        head.append("seed phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in seeded.phases.items()))
    return "\n".join(head) + "\n\n" + "\n".join(out)


async def main(args: argparse.Namespace) -> None:
    url = with_database(PG_URL, args.db_name)
    seeded = await seed(url, args.tickets, args.messages_per_ticket, args.reuse)
    conn = await asyncpg.connect(url)
    try:
        env = {"machine": f"{os.cpu_count()} cores, {platform.machine()}",
               "pg": str(await conn.fetchval("show server_version"))}  # fmt: skip
        service = context_from_claims(claims(None))
        figures = [await measure(conn, case, args.iterations, service) for case in await cases(conn)]
        plans = {case.name: await explain(conn, case) for case in await cases(conn)} if args.explain else {}
    finally:
        await conn.close()
    report = render(figures, seeded, args, env)
    print(report)
    for name, plan in plans.items():
        print(f"\n-- plan under RLS: {name}\n{plan}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages-per-ticket", type=float, default=10.0)
    parser.add_argument("--iterations", type=int, default=400)
    parser.add_argument("--db-name", default="sd_fd_bench")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded benchmark database")
    parser.add_argument("--explain", action="store_true", help="print the plans under RLS (explain analyze)")
    asyncio.run(main(parser.parse_args()))
