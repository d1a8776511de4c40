"""SQL for RPC: named arguments come from ONE bound JSON object via `json_to_record`, typed by the
function's own argument types; composite results are read like a table."""

from __future__ import annotations

from supadesk.server.rest.ident import qualified, quote_ident
from supadesk.server.rest.plan.model import CallPlan
from supadesk.server.rest.sql.params import SqlParams
from supadesk.server.rest.sql.read import node_sql, read_sql, wrap


def _call(plan: CallPlan, params: SqlParams) -> tuple[str, str]:
    """(the function call expression, the FROM prefix that provides its arguments)."""
    routine = plan.routine
    function = qualified(routine.schema, routine.name)
    if routine.single_unnamed_json:
        kind = routine.arguments[0].type_sql
        return f"{function}({params.body()}::{kind})", ""
    if not plan.arguments:
        return f"{function}()", ""
    columns = ", ".join(f"{quote_ident(a.name)} {a.type_sql}" for a in plan.arguments)
    prefix = f"json_to_record({params.body()}::json) as pgrst_args({columns})"
    named = ", ".join(f"{quote_ident(a.name)} := pgrst_args.{quote_ident(a.name)}" for a in plan.arguments)
    return f"{function}({named})", prefix


def call_sql(plan: CallPlan, params: SqlParams, exact_count: bool, strip_nulls: bool) -> str:
    call, prefix = _call(plan, params)
    source_prefix = f"{prefix} cross join lateral " if prefix else ""
    from_args = f" from {prefix}" if prefix else ""
    routine = plan.routine
    if routine.return_kind == "void":
        return f"select null::bigint, 1::bigint, null::text from (select {call}{from_args}) as pgrst_t"
    if plan.read is None:  # a single scalar
        return f"select null::bigint, 1::bigint, to_json({call})::text{from_args}"
    read = plan.read
    source = f"{source_prefix}{call} as {quote_ident(read.alias)}"
    if routine.scalar_set:
        source += f"({quote_ident(routine.name)})"
        return read_sql(read, source, params, exact_count, strip_nulls, scalar_column=routine.name)
    if routine.returns_set:
        return read_sql(read, source, params, exact_count, strip_nulls)
    body = node_sql(read, source, params)
    return wrap(body, "null::bigint", strip_nulls)
