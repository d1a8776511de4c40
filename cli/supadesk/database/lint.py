"""The database linter behind `supadesk db lint` and the contract test, in the spirit of Supabase's
splinter: every public table has RLS and at least one policy and a comment, no security definer
function without a pinned search_path, every foreign key indexed, no policy for all roles, anon
holds no privilege on public tables or app functions, policies call auth functions once per
statement, and every column a policy filters on leads an index."""

from __future__ import annotations

import re
from dataclasses import dataclass

import asyncpg

APP_SCHEMAS = ["public", "private"]
# Schemas whose policies the app's migrations write (storage.objects, realtime.messages).
POLICY_SCHEMAS = ["public", "storage", "realtime"]


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
        select n.nspname || '.' || c.relname || ': ' || p.polname from pg_policy p
        join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1::text[]) and p.polroles = '{0}'
        """,
    ),
    "policy_for_all": (
        "Policy uses FOR ALL (write one policy per operation)",
        """
        select n.nspname || '.' || c.relname || ': ' || p.polname from pg_policy p
        join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1::text[]) and p.polcmd = '*'
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
    "anon_table_privileges": (
        "anon holds a privilege on a public table (grant to authenticated/service_role only)",
        """
        select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
          and (has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger')
               or has_any_column_privilege('anon', c.oid, 'select, insert, update, references'))
        """,
    ),
    "function_executable_by_anon": (
        "anon (or PUBLIC) may execute this function; revoke and grant per role",
        """
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any($1::text[]) and has_function_privilege('anon', p.oid, 'execute')
        """,
    ),
}

_POLICIES = """
select n.nspname || '.' || c.relname || ': ' || p.polname as name, c.oid as relid,
       pg_get_expr(p.polqual, p.polrelid) as using_sql, pg_get_expr(p.polwithcheck, p.polrelid) as check_sql,
       p.polqual::text as using_tree
from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1::text[])
order by 1
"""
# auth.uid() etc. evaluated once per statement only when wrapped: `(select auth.uid())` (splinter 0003).
_BARE_AUTH_CALL = re.compile(r"(?<!SELECT )\b(auth\.(?:uid|jwt|role|email)\(\)|current_setting\()")
_USER_METADATA = re.compile(r"user_metadata|raw_user_meta_data")
_NODE_TOKEN = re.compile(r"\{([A-Z_]+)|\}|:(varno|varattno|varlevelsup) (-?\d+)")


def policy_columns(tree: str | None) -> set[int]:
    """Column numbers of the policy's own table that a policy expression (a pg_node_tree) reads:
    Vars of range-table entry 1 seen from the expression's own level, however deep the sublinks."""
    columns: set[int] = set()
    stack: list[str] = []
    var: dict[str, int] = {}
    for match in _NODE_TOKEN.finditer(tree or ""):
        if match.group(1):
            stack.append(match.group(1))
            if match.group(1) == "VAR":
                var = {}
        elif match.group(0) == "}":
            if stack and stack[-1] == "VAR" and var.get("varno") == 1 and var.get("varattno", 0) > 0:
                if var.get("varlevelsup") == stack.count("QUERY"):
                    columns.add(var["varattno"])
            if stack:
                stack.pop()
        elif stack and stack[-1] == "VAR":
            var[match.group(2)] = int(match.group(3))
    return columns


async def _policy_problems(conn: asyncpg.Connection) -> list[Problem]:
    problems: list[Problem] = []
    for policy in await conn.fetch(_POLICIES, POLICY_SCHEMAS):
        text = " ".join(filter(None, (policy["using_sql"], policy["check_sql"])))
        if _BARE_AUTH_CALL.search(text):
            problems.append(Problem("auth_rls_initplan", policy["name"], _INITPLAN))
        if _USER_METADATA.search(text):
            problems.append(Problem("rls_references_user_metadata", policy["name"], _METADATA))
        for column in sorted(policy_columns(policy["using_tree"])):
            if not await conn.fetchval(_LEADS_AN_INDEX, policy["relid"], column):
                name = await conn.fetchval(
                    "select attname from pg_attribute where attrelid = $1 and attnum = $2", policy["relid"], column
                )
                problems.append(Problem("policy_column_unindexed", f"{policy['name']} ({name})", _UNINDEXED))
    return problems


_INITPLAN = "Policy calls auth.uid()/auth.jwt()/current_setting() per row; wrap it: (select auth.uid())"
_METADATA = "Policy reads user_metadata, which users can edit themselves"
_UNINDEXED = "Policy filters on a column that leads no index"
_LEADS_AN_INDEX = "select exists (select 1 from pg_index where indrelid = $1 and indkey[0] = $2)"


async def run_checks(conn: asyncpg.Connection) -> list[Problem]:
    problems: list[Problem] = []
    for check, (message, query) in _CHECKS.items():
        schemas = POLICY_SCHEMAS if check.startswith("policy_") else APP_SCHEMAS
        args = [schemas] if "$1" in query else []
        for row in await conn.fetch(query, *args):
            problems.append(Problem(check, row[0], message))
    return problems + await _policy_problems(conn)
