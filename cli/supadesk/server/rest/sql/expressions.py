"""SQL for fields, filters and orders. Identifiers via quote_ident, values via SqlParams."""

from __future__ import annotations

from supadesk.server.rest.ident import quote_ident
from supadesk.server.rest.plan.model import (
    PlannedCondition,
    PlannedField,
    PlannedFilter,
    PlannedLogic,
    PlannedOrder,
)
from supadesk.server.rest.schema.model import Column
from supadesk.server.rest.sql.params import SqlParams, like_pattern
from supadesk.server.rest.syntax import FtsValue, JsonStep, ListValue, Literal, Slot, Value

COMPARISONS = {
    "eq": "=",
    "neq": "<>",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "cs": "@>",
    "cd": "<@",
    "ov": "&&",
    "sl": "<<",
    "sr": ">>",
    "nxl": "&<",
    "nxr": "&>",
    "adj": "-|-",
    "isdistinct": "is distinct from",
}
PATTERNS = {"like": "like", "ilike": "ilike", "match": "~", "imatch": "~*"}
IS_SQL = {"null": "is null", "not_null": "is not null", "true": "is true", "false": "is false", "unknown": "is unknown"}
FTS_FUNCTIONS = {
    "fts": "to_tsquery",
    "plfts": "plainto_tsquery",
    "phfts": "phraseto_tsquery",
    "wfts": "websearch_to_tsquery",
}


def column_ref(alias: str, column: Column) -> str:
    return quote_ident(alias) + "." + quote_ident(column.name)


def field_sql(alias: str, column: Column, path: tuple[JsonStep, ...], params: SqlParams) -> str:
    sql = column_ref(alias, column)
    for step in path:
        key = params.const(step.index) + "::integer" if step.index is not None else params.const(step.key) + "::text"
        sql += step.arrow + key
    return sql


def select_field(alias: str, item: PlannedField, params: SqlParams) -> str:
    sql = field_sql(alias, item.column, item.json_path, params)
    if item.cast is not None:
        sql = f"({sql})::{item.cast}"
    return f"{sql} as {quote_ident(item.output)}"


def _text(value: Value, params: SqlParams, like: bool = False) -> str:
    """A scalar value as a `text` parameter."""
    if isinstance(value, Slot):
        return params.slot(value.index, like) + "::text"
    assert isinstance(value, Literal)
    return params.const(like_pattern(value.value) if like else value.value) + "::text"


def _typed(text_sql: str, type_sql: str) -> str:
    return text_sql if type_sql == "text" else f"{text_sql}::{type_sql}"


def filter_sql(alias: str, f: PlannedFilter, params: SqlParams) -> str:
    left = "(" + field_sql(alias, f.column, f.json_path, params) + ")"
    op, value = f.operation.op, f.operation.value
    if op == "is":
        assert isinstance(value, Literal)
        sql = f"{left} {IS_SQL[value.value]}"
    elif op == "in":
        assert isinstance(value, ListValue)
        sql = f"{left} = any({_typed(params.const(list(value.items)) + '::text[]', f.value_type + '[]')})"
    elif op in FTS_FUNCTIONS:
        assert isinstance(value, FtsValue)
        query = params.const(value.query) + "::text"
        config = "" if value.config is None else params.const(value.config) + "::regconfig, "
        sql = f"{left} @@ {FTS_FUNCTIONS[op]}({config}{query})"
    elif op.endswith(("_any", "_all")):
        sql = _quantified(left, f, params)
    elif op in PATTERNS:
        sql = f"{left} {PATTERNS[op]} {_text(value, params, like=op in ('like', 'ilike'))}"
    else:
        sql = f"{left} {COMPARISONS[op]} {_typed(_text(value, params), f.value_type)}"
    return f"not ({sql})" if f.operation.negated else sql


def _quantified(left: str, f: PlannedFilter, params: SqlParams) -> str:
    base, _, quantifier = f.operation.op.rpartition("_")
    value = f.operation.value
    assert isinstance(value, ListValue)
    if base in PATTERNS:
        items = [like_pattern(v) for v in value.items] if base in ("like", "ilike") else list(value.items)
        return f"{left} {PATTERNS[base]} {quantifier}({params.const(items)}::text[])"
    array = _typed(params.const(list(value.items)) + "::text[]", f.value_type + "[]")
    return f"{left} {COMPARISONS[base]} {quantifier}({array})"


def condition_sql(alias: str, cond: PlannedCondition, params: SqlParams) -> str:
    if isinstance(cond, PlannedFilter):
        return filter_sql(alias, cond, params)
    return logic_sql(alias, cond, params)


def logic_sql(alias: str, tree: PlannedLogic, params: SqlParams) -> str:
    joined = f" {tree.conjunction} ".join(condition_sql(alias, c, params) for c in tree.children)
    return f"not ({joined})" if tree.negated else f"({joined})"


def order_sql(alias: str, terms: list[PlannedOrder], params: SqlParams) -> str:
    parts = []
    for term in terms:
        sql = field_sql(alias, term.column, term.json_path, params)
        if term.direction:
            sql += " " + term.direction
        if term.nulls:
            sql += " nulls " + term.nulls
        parts.append(sql)
    return ", ".join(parts)
