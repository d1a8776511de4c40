"""The database linter behind `supadesk db lint` and the contract test, in the spirit of Supabase's
splinter: every public table has RLS and at least one policy and a comment, no security definer
function without a pinned search_path, every foreign key indexed, no policy for all roles."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

APP_SCHEMAS = ["public", "private"]


@dataclass(frozen=True)
class Problem:
    check: str
    object_name: str
    message: str


_CHECKS: dict[str, tuple[str, str]] = {
    "rls_disabled_in_public": (
        "Row level security is disabled",
        """
        select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
        """,
    ),
    "rls_enabled_no_policy": (
        "RLS is enabled but the table has no policy",
        """
        select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relrowsecurity
          and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
        """,
    ),
    "table_without_comment": (
        "Table has no comment",
        """
        select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') is null
        """,
    ),
    "function_search_path_mutable": (
        "Function has no fixed search_path",
        """
        select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any($1::text[])
          and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search_path=%')
        """,
    ),
    "security_definer_search_path_not_empty": (
        "Security definer function must set search_path = ''",
        """
        select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any($1::text[]) and p.prosecdef
          and not ('search_path=""' = any(coalesce(p.proconfig, '{}')))
        """,
    ),
    "unindexed_foreign_keys": (
        "Foreign key has no index starting with its columns",
        """
        select cl.relname || '.' || con.conname from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid join pg_namespace n on n.oid = cl.relnamespace
        where con.contype = 'f' and n.nspname = 'public'
          and not exists (
            select 1 from pg_index i
            where i.indrelid = con.conrelid
              and (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] = con.conkey
          )
        """,
    ),
    "policy_without_role": (
        "Policy applies to PUBLIC (name the role with `to`)",
        """
        select c.relname || ': ' || p.polname from pg_policy p join pg_class c on c.oid = p.polrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and p.polroles = '{0}'
        """,
    ),
    "policy_for_all": (
        "Policy uses FOR ALL (write one policy per operation)",
        """
        select c.relname || ': ' || p.polname from pg_policy p join pg_class c on c.oid = p.polrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and p.polcmd = '*'
        """,
    ),
    "multiple_permissive_policies": (
        "More than one permissive policy for the same role and operation",
        """
        select c.relname || ': ' || r.rolname || ' ' || p.polcmd::text from pg_policy p
        join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
        cross join lateral unnest(p.polroles) as role_oid join pg_roles r on r.oid = role_oid
        where n.nspname = 'public' and p.polpermissive
        group by c.relname, r.rolname, p.polcmd having count(*) > 1
        """,
    ),
}


async def run_checks(conn: asyncpg.Connection) -> list[Problem]:
    problems: list[Problem] = []
    for check, (message, query) in _CHECKS.items():
        args = [APP_SCHEMAS] if "$1" in query else []
        for row in await conn.fetch(query, *args):
            problems.append(Problem(check, row[0], message))
    return problems
