"""Read plans: resolve the select tree, filters and orders against the schema cache."""

from __future__ import annotations

from dataclasses import dataclass, field

from supadesk.server.rest import errors
from supadesk.server.rest.plan.model import (
    PlannedCondition,
    PlannedEmbed,
    PlannedField,
    PlannedFilter,
    PlannedLogic,
    PlannedOrder,
    PlannedStar,
    ReadNode,
)
from supadesk.server.rest.schema.model import Column, SchemaCache, Table
from supadesk.server.rest.schema.relationships import find_relationship
from supadesk.server.rest.syntax import (
    Condition,
    EmbedPath,
    FieldRef,
    Filter,
    NodeModifiers,
    QueryParams,
    SelectEmbed,
    SelectField,
    SelectItem,
    SelectStar,
)


@dataclass
class Aliases:
    """Unique SQL aliases for the tables and laterals of one statement."""

    used: set[str] = field(default_factory=set)

    def take(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name


def column_of(table: Table, name: str) -> Column:
    column = table.columns.get(name)
    if column is None:
        raise errors.undefined_column(table.name, name)
    return column


def resolve_cast(cache: SchemaCache, cast: str | None) -> str | None:
    if cast is None:
        return None
    name = " ".join(cast.lower().split())
    suffix = ""
    while name.endswith("[]"):
        name, suffix = name[:-2].rstrip(), suffix + "[]"
    type_sql = cache.types.get(name)
    if type_sql is None:
        raise errors.undefined_type(cast)
    return type_sql + suffix


def plan_node(
    cache: SchemaCache,
    table: Table,
    select: tuple[SelectItem, ...],
    params: QueryParams,
    path: EmbedPath,
    aliases: Aliases,
    embeddable: bool = True,
) -> ReadNode:
    """The node for `path` and, recursively, its embeds."""
    node = ReadNode(table, aliases.take(table.name))
    for item in select:
        if isinstance(item, SelectStar):
            node.items.append(PlannedStar())
        elif isinstance(item, SelectField):
            column = column_of(table, item.field.name)
            cast = resolve_cast(cache, item.cast)
            node.items.append(PlannedField(column, item.field.json_path, cast, item.output_name))
        else:
            node.items.append(_embed(cache, node, item, params, path, aliases, embeddable))
    apply_modifiers(node, params.modifiers.get(path) or NodeModifiers())
    return node


def _embed(
    cache: SchemaCache,
    parent: ReadNode,
    item: SelectEmbed,
    params: QueryParams,
    path: EmbedPath,
    aliases: Aliases,
    embeddable: bool,
) -> PlannedEmbed:
    if not embeddable:
        raise errors.no_relationship(parent.table.name, item.name, cache.schema)
    rel = find_relationship(cache, parent.table.name, item.name, item.hint)
    child = plan_node(cache, cache.tables[rel.target], item.children, params, (*path, item.output_name), aliases)
    return PlannedEmbed(rel, item.join or "left", child, item.output_name, aliases.take("pgrst_" + item.output_name))


def apply_modifiers(node: ReadNode, mods: NodeModifiers) -> None:
    node.conditions = [plan_condition(node.table, cond) for cond in mods.conditions]
    node.order = [
        PlannedOrder(column_of(node.table, term.field.name), term.field.json_path, term.direction, term.nulls)
        for term in mods.order
    ]
    node.limit, node.offset = mods.limit, mods.offset


def plan_condition(table: Table, cond: Condition) -> PlannedCondition:
    if isinstance(cond, Filter):
        return plan_filter(table, cond.field, cond)
    return PlannedLogic(cond.conjunction, tuple(plan_condition(table, c) for c in cond.children), cond.negated)


def plan_filter(table: Table, ref: FieldRef, cond: Filter) -> PlannedFilter:
    return PlannedFilter(column_of(table, ref.name), ref.json_path, cond.operation)


def check_embed_paths(root: ReadNode, params: QueryParams) -> None:
    """Modifiers for `a.b` need the embed `a` with child `b` in the select (PGRST108)."""
    for path in params.modifiers:
        node = root
        for name in path:
            found = next((e.node for e in node.embeds if e.output == name), None)
            if found is None:
                raise errors.not_embedded(name)
            node = found


def apply_range(node: ReadNode, header_range: tuple[int, int | None] | None, max_rows: int | None) -> None:
    """Intersect `limit`/`offset` with the Range header, then cap the root at max_rows."""
    offset, limit = node.offset or 0, node.limit
    if header_range is not None:
        start, count = header_range
        end = _min_end(_end(offset, limit), _end(start, count))
        offset = max(offset, start)
        limit = None if end is None else max(end - offset, 0)
    if max_rows is not None:
        limit = max_rows if limit is None else min(limit, max_rows)
    node.offset, node.limit = (offset or None), limit


def _end(offset: int, limit: int | None) -> int | None:
    return None if limit is None else offset + limit


def _min_end(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else min(a, b)


def plan_read(
    cache: SchemaCache,
    table: Table,
    params: QueryParams,
    header_range: tuple[int, int | None] | None,
    max_rows: int | None,
    embeddable: bool = True,
) -> ReadNode:
    root = plan_node(cache, table, params.select, params, (), Aliases(), embeddable)
    check_embed_paths(root, params)
    apply_range(root, header_range, max_rows)
    return root
