"""SQL for insert/upsert, update and delete. The body is ONE bound JSON parameter that PostgreSQL
turns into typed rows (`json_populate_recordset`), as PostgREST does."""

from __future__ import annotations

from supadesk.server.rest.ident import qualified, quote_ident
from supadesk.server.rest.plan.model import MutatePlan
from supadesk.server.rest.sql.expressions import condition_sql
from supadesk.server.rest.sql.params import SqlParams
from supadesk.server.rest.sql.read import node_sql, wrap


def mutation_sql(plan: MutatePlan, params: SqlParams) -> str:
    """The bare statement, with `returning <alias>.*` when a representation is wanted."""
    if plan.kind == "insert":
        sql = _insert(plan, params)
    elif plan.kind == "update" and not plan.columns:  # an empty body changes nothing (as PostgREST)
        return f"select {quote_ident(_alias(plan))}.* from {_target(plan)} where false"
    elif plan.kind == "update":
        sql = _update(plan, params)
    else:
        sql = _delete(plan, params)
    if plan.returning is not None:
        sql += f" returning {quote_ident(_alias(plan))}.*"
    return sql


def representation_sql(plan: MutatePlan, params: SqlParams, strip_nulls: bool) -> str:
    assert plan.returning is not None
    mutation = mutation_sql(plan, params)
    source = "pgrst_source as " + quote_ident(plan.returning.alias)
    body = node_sql(plan.returning, source, params)
    return f"with pgrst_source as ({mutation}) " + wrap(body, "null::bigint", strip_nulls)


def _alias(plan: MutatePlan) -> str:
    return plan.where.alias if plan.where is not None else plan.table.name


def _target(plan: MutatePlan) -> str:
    return f"{qualified(plan.table.schema, plan.table.name)} as {quote_ident(_alias(plan))}"


def _insert(plan: MutatePlan, params: SqlParams) -> str:
    table = qualified(plan.table.schema, plan.table.name)
    if not plan.columns:
        return f"insert into {_target(plan)} default values"
    names = ", ".join(quote_ident(c.name) for c in plan.columns)
    body = params.body() + "::json"
    if plan.defaults_for:
        exprs = []
        for column in plan.columns:
            value = "pgrst_r." + quote_ident(column.name)
            if column.name in plan.defaults_for:
                present = f"pgrst_e.elem::jsonb ? {params.const(column.name)}::text"
                value = f"case when {present} then {value} else {column.default_sql or 'null'} end"
            exprs.append(value)
        source = (
            f"select {', '.join(exprs)} from json_array_elements({body}) as pgrst_e(elem), "
            f"lateral json_populate_record(null::{table}, pgrst_e.elem) as pgrst_r"
        )
    else:
        source = f"select {names} from json_populate_recordset(null::{table}, {body})"
    sql = f"insert into {_target(plan)} ({names}) {source}"
    if plan.resolution is not None:
        conflict = ", ".join(quote_ident(c.name) for c in plan.on_conflict)
        updates = ", ".join(f"{quote_ident(c.name)} = excluded.{quote_ident(c.name)}" for c in plan.columns)
        action = f"do update set {updates}" if plan.resolution == "merge" else "do nothing"
        sql += f" on conflict ({conflict}) {action}"
    return sql


def _where(plan: MutatePlan, params: SqlParams) -> str:
    if plan.where is None or not plan.where.conditions:
        return ""
    alias = plan.where.alias
    return " where " + " and ".join(condition_sql(alias, c, params) for c in plan.where.conditions)


def _update(plan: MutatePlan, params: SqlParams) -> str:
    table = qualified(plan.table.schema, plan.table.name)
    sets = ", ".join(f"{quote_ident(c.name)} = pgrst_body.{quote_ident(c.name)}" for c in plan.columns)
    source = f"json_populate_record(null::{table}, {params.body()}::json) as pgrst_body"
    return f"update {_target(plan)} set {sets} from {source}{_where(plan, params)}"


def _delete(plan: MutatePlan, params: SqlParams) -> str:
    return f"delete from {_target(plan)}{_where(plan, params)}"
