"""SQL for read trees: one statement, embeds as lateral joins, JSON built by PostgreSQL.

The root statement always returns one row `(total, page_total, body)`: `total` is the exact count
or null, `body` the JSON text of the page (so Python never re-encodes rows), as PostgREST does.
"""

from __future__ import annotations

from supadesk.server.rest.ident import qualified, quote_ident
from supadesk.server.rest.plan.model import PlannedEmbed, PlannedField, PlannedStar, ReadNode
from supadesk.server.rest.schema.model import Table
from supadesk.server.rest.sql.expressions import condition_sql, order_sql, select_field
from supadesk.server.rest.sql.params import SqlParams


def table_source(table: Table, alias: str) -> str:
    return f"{qualified(table.schema, table.name)} as {quote_ident(alias)}"


def _items(node: ReadNode, params: SqlParams) -> str:
    parts: list[str] = []
    for item in node.items:
        if isinstance(item, PlannedStar):
            parts.append(quote_ident(node.alias) + ".*")
        elif isinstance(item, PlannedField):
            parts.append(select_field(node.alias, item, params))
        else:
            body = quote_ident(item.lateral_alias) + ".body"
            expr = body if item.relationship.to_one else f"coalesce({body}, '[]')"
            parts.append(f"{expr} as {quote_ident(item.output)}")
    return ", ".join(parts) or "null"


def _lateral(parent: ReadNode, embed: PlannedEmbed, params: SqlParams) -> str:
    child = embed.node
    join = [
        f"{quote_ident(child.alias)}.{quote_ident(target)} = {quote_ident(parent.alias)}.{quote_ident(source)}"
        for source, target in embed.relationship.columns
    ]
    inner = node_sql(child, table_source(child.table, child.alias), params, join)
    aggregate = "row_to_json(pgrst_e)" if embed.relationship.to_one else "json_agg(pgrst_e)"
    lateral = quote_ident(embed.lateral_alias)
    if embed.join == "inner":
        on = "true" if embed.relationship.to_one else f"{lateral}.body is not null"
        kind = "inner"
    else:
        on, kind = "true", "left"
    return f"{kind} join lateral (select {aggregate} as body from ({inner}) as pgrst_e) as {lateral} on {on}"


def _where(node: ReadNode, params: SqlParams, extra: list[str]) -> str:
    conditions = extra + [condition_sql(node.alias, c, params) for c in node.conditions]
    return " where " + " and ".join(conditions) if conditions else ""


def node_sql(node: ReadNode, source: str, params: SqlParams, extra: list[str] | None = None) -> str:
    """`select <items> from <source> <laterals> where … order by … limit … offset …`."""
    items = _items(node, params)
    laterals = "".join(" " + _lateral(node, embed, params) for embed in node.embeds)
    sql = f"select {items} from {source}{laterals}{_where(node, params, extra or [])}"
    if node.order:
        sql += " order by " + order_sql(node.alias, node.order, params)
    if node.limit is not None:
        sql += f" limit {params.const(node.limit)}"
    if node.offset:
        sql += f" offset {params.const(node.offset)}"
    return sql


def count_sql(node: ReadNode, source: str, params: SqlParams) -> str:
    """The rows the root would return without limit/offset (inner embeds still filter)."""
    inner = [e for e in node.embeds if e.join == "inner"]
    laterals = "".join(" " + _lateral(node, embed, params) for embed in inner)
    return f"select 1 from {source}{laterals}{_where(node, params, [])}"


def wrap(body_sql: str, total_sql: str, strip_nulls: bool, scalar_column: str | None = None) -> str:
    row = "pgrst_t" if scalar_column is None else "pgrst_t." + quote_ident(scalar_column)
    aggregate = f"coalesce(json_agg({row}), '[]')"
    if strip_nulls:
        aggregate = f"json_strip_nulls({aggregate})"
    return f"select {total_sql}, count(*)::bigint, {aggregate}::text from ({body_sql}) as pgrst_t"


def read_sql(
    root: ReadNode,
    source: str,
    params: SqlParams,
    exact_count: bool,
    strip_nulls: bool,
    scalar_column: str | None = None,
) -> str:
    body = node_sql(root, source, params)
    total = "null::bigint"
    if exact_count:
        total = f"(select count(*) from ({count_sql(root, source, params)}) as pgrst_c)"
    return wrap(body, total, strip_nulls, scalar_column)


def planned_count_sql(root: ReadNode, source: str, params: SqlParams) -> str:
    return "explain (format json) " + count_sql(root, source, params)
