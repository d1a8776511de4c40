"""The schema contract, in the spirit of Supabase's splinter: the migrated database passes every check
of `supadesk.database.lint`, and each check catches the mistake it exists for."""

from __future__ import annotations

import asyncpg
import pytest
from tests.db.support import rolled_back

from supadesk.database.lint import policy_columns, run_checks

# Columns the USING clauses of our policies filter on (each must lead an index).
POLICY_COLUMNS = {
    ("public", "customers"): {"user_id"},
    ("public", "tickets"): {"customer_id"},
    ("public", "messages"): {"ticket_id"},
    ("public", "attachments"): {"ticket_id"},
    ("storage", "objects"): {"bucket_id", "name"},
}


async def test_migrated_schema_passes_every_check(conn: asyncpg.Connection) -> None:
    assert await run_checks(conn) == []


async def test_every_public_table_has_rls_policies_and_a_comment(conn: asyncpg.Connection) -> None:
    rows = await conn.fetch(
        "select c.relname, c.relrowsecurity, obj_description(c.oid, 'pg_class') is not null as commented,"
        " (select count(*) from pg_policy p where p.polrelid = c.oid) as policies"
        " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind = 'r'"
    )
    tables = {r["relname"] for r in rows}
    assert {"users", "customers", "tickets", "messages", "attachments", "analytics"} <= tables
    for row in rows:
        assert row["relrowsecurity"] and row["commented"] and row["policies"] > 0, dict(row)


async def test_policies_filter_only_on_the_declared_columns(conn: asyncpg.Connection) -> None:
    rows = await conn.fetch(
        "select n.nspname, c.relname, c.oid, p.polqual::text as tree from pg_policy p"
        " join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname in ('public', 'storage', 'realtime')"
    )
    found: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        for attnum in policy_columns(row["tree"]):
            name = await conn.fetchval(
                "select attname from pg_attribute where attrelid = $1 and attnum = $2", row["oid"], attnum
            )
            found.setdefault((row["nspname"], row["relname"]), set()).add(name)
    assert found == POLICY_COLUMNS


async def test_no_function_in_app_schemas_is_callable_without_a_grant(conn: asyncpg.Connection) -> None:
    callable_by_anon = await conn.fetch(
        "select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname in ('public', 'private') and has_function_privilege('anon', p.oid, 'execute')"
    )
    assert callable_by_anon == []


async def test_security_definer_functions_pin_an_empty_search_path(conn: asyncpg.Connection) -> None:
    definers = await conn.fetch(
        "select p.oid::regprocedure::text as name, p.proconfig from pg_proc p"
        " join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('public', 'private') and p.prosecdef"
    )
    assert definers, "the RLS helpers are security definer"
    for row in definers:
        assert 'search_path=""' in (row["proconfig"] or []), row["name"]


# Each lint check against the mistake it exists for (all inside a rolled-back transaction).
BAD_TABLE = "create table public.sd_fd_bad (id uuid primary key, owner_id uuid, ticket_id uuid)"
MISTAKES = [
    ("rls_disabled_in_public", [BAD_TABLE], "sd_fd_bad"),
    ("table_without_comment", [BAD_TABLE], "sd_fd_bad"),
    ("rls_enabled_no_policy", [BAD_TABLE, "alter table public.sd_fd_bad enable row level security"], "sd_fd_bad"),
    (
        "function_search_path_mutable",
        ["create function private.sd_fd_f() returns int language sql as 'select 1'"],
        "private.sd_fd_f",
    ),
    (
        "security_definer_search_path_not_empty",
        [
            "create function private.sd_fd_g() returns int language sql security definer set search_path = public"
            " as 'select 1'"
        ],
        "private.sd_fd_g",
    ),
    (
        "unindexed_foreign_keys",
        [
            BAD_TABLE,
            "alter table public.sd_fd_bad add constraint sd_fd_bad_ticket_fk foreign key (ticket_id)"
            " references public.tickets (id)",
        ],
        "sd_fd_bad.sd_fd_bad_ticket_fk",
    ),
    (
        "policy_without_role",
        ['create policy "Anyone reads" on public.analytics for select using (true)'],
        "public.analytics: Anyone reads",
    ),
    (
        "policy_without_role",
        ['create policy "Anyone reads" on storage.objects for select using (true)'],
        "storage.objects: Anyone reads",
    ),
    (
        "policy_for_all",
        ['create policy "Agents do all" on public.analytics for all to authenticated using (true)'],
        "public.analytics: Agents do all",
    ),
    (
        "multiple_permissive_policies",
        ['create policy "Second read" on public.tickets for select to authenticated using (true)'],
        "tickets: authenticated r",
    ),
    ("anon_table_privileges", ["grant select on public.tickets to anon"], "tickets"),
    ("anon_table_privileges", ["grant select (id) on public.messages to anon"], "messages"),
    ("anon_table_privileges", ["grant select on public.customers to public"], "customers"),
    (
        "function_executable_by_anon",
        [
            "create function public.sd_fd_h() returns int language sql set search_path = '' as 'select 1'",
            "grant execute on function public.sd_fd_h() to public",
        ],
        "sd_fd_h()",
    ),
    (
        "auth_rls_initplan",
        ['create policy "Per row" on public.analytics for insert to authenticated with check (actor_id = auth.uid())'],
        "public.analytics: Per row",
    ),
    (
        "rls_references_user_metadata",
        [
            'create policy "Trusts metadata" on public.analytics for insert to authenticated'
            " with check (((select auth.jwt()) -> 'user_metadata' ->> 'agent') = 'yes')"
        ],
        "public.analytics: Trusts metadata",
    ),
    (
        "policy_column_unindexed",
        [
            BAD_TABLE,
            "comment on table public.sd_fd_bad is 'x'",
            "alter table public.sd_fd_bad enable row level security",
            'create policy "Owners read" on public.sd_fd_bad for select to authenticated'
            " using (owner_id = (select auth.uid()))",
        ],
        "public.sd_fd_bad: Owners read (owner_id)",
    ),
]


@pytest.mark.parametrize(("check", "statements", "culprit"), MISTAKES, ids=[f"{m[0]}-{m[2]}" for m in MISTAKES])
async def test_lint_catches(conn: asyncpg.Connection, check: str, statements: list[str], culprit: str) -> None:
    async with rolled_back(conn):
        for statement in statements:
            await conn.execute(statement)
        found = {(p.check, p.object_name) for p in await run_checks(conn)}
    assert (check, culprit) in found


async def test_an_index_on_the_policy_column_satisfies_the_check(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        for statement in MISTAKES[-1][1]:
            await conn.execute(statement)
        await conn.execute("create index sd_fd_bad_owner_id_idx on public.sd_fd_bad (owner_id)")
        checks = {p.check for p in await run_checks(conn)}
    assert "policy_column_unindexed" not in checks


def test_policy_columns_ignores_columns_of_subqueries() -> None:
    # ticket_id = ANY (select t.id from tickets t where t.customer_id = ...): only ticket_id (attno 2)
    # belongs to the policy's table; t.id and t.customer_id are Vars of the sub-query's own level.
    tree = (
        "{SUBLINK :testexpr {OPEXPR :args ({VAR :varno 1 :varattno 2 :varlevelsup 0})} :subselect {QUERY"
        " :jointree {FROMEXPR :quals {OPEXPR :args ({VAR :varno 1 :varattno 3 :varlevelsup 0}"
        " {VAR :varno 1 :varattno 5 :varlevelsup 1})}}}}"
    )
    assert policy_columns(tree) == {2, 5}
