"""Mutation plans: which columns the body writes, the conflict target, the filters, the return."""

from __future__ import annotations

from supadesk.server.rest import errors
from supadesk.server.rest.plan.model import MutatePlan, PlannedField, ReadNode, Resolution
from supadesk.server.rest.plan.read import Aliases, apply_modifiers, check_embed_paths, plan_node
from supadesk.server.rest.request import ApiRequest
from supadesk.server.rest.schema.model import Column, SchemaCache, Table
from supadesk.server.rest.syntax import NodeModifiers, QueryParams


def _columns(table: Table, names: tuple[str, ...]) -> tuple[Column, ...]:
    out = []
    for name in names:
        column = table.columns.get(name)
        if column is None:
            raise errors.column_not_found(table.name, name)
        out.append(column)
    return tuple(out)


def _payload_columns(table: Table, req: ApiRequest, params: QueryParams) -> tuple[Column, ...]:
    if params.columns is not None:
        return _columns(table, tuple(dict.fromkeys(params.columns)))
    if not req.payload.uniform:
        raise errors.invalid_body("All object keys must match")
    return _columns(table, req.payload.keys)


def _returning(cache: SchemaCache, table: Table, req: ApiRequest, params: QueryParams) -> ReadNode | None:
    wanted = req.prefer.return_
    if wanted == "headers-only" and req.action == "insert" and table.primary_key:
        node = ReadNode(table, table.name)
        node.items = [PlannedField(table.columns[c], (), None, c) for c in table.primary_key]
        return node
    if wanted != "representation":
        return None
    node = plan_node(cache, table, params.select, params, (), Aliases())
    check_embed_paths(node, params)
    apply_modifiers(node, NodeModifiers())  # root filters restrict the mutation, not the result
    return node


def _where(table: Table, params: QueryParams) -> ReadNode:
    mods = params.modifiers.get(()) or NodeModifiers()
    if mods.limit is not None or mods.offset is not None:
        raise errors.parse_error("limit and offset are not supported on PATCH and DELETE by supadesk")
    node = ReadNode(table, table.name)
    apply_modifiers(node, NodeModifiers(conditions=mods.conditions))
    return node


def _conflict(table: Table, params: QueryParams) -> tuple[Column, ...]:
    names = params.on_conflict or table.primary_key
    if not names:
        raise errors.ApiError(
            400, "PGRST100", "An upsert needs on_conflict or a primary key", f"'{table.name}' has no primary key"
        )
    return _columns(table, names)


def plan_mutation(cache: SchemaCache, table: Table, req: ApiRequest, params: QueryParams) -> MutatePlan:
    returning = _returning(cache, table, req, params)
    if req.action == "delete":
        return MutatePlan("delete", table, where=_where(table, params), returning=returning)
    columns = _payload_columns(table, req, params)
    if req.action == "update":
        return MutatePlan("update", table, columns, where=_where(table, params), returning=returning)
    if not table.insertable:
        raise errors.ApiError(405, "PGRST117", f"Cannot insert into '{table.name}'")
    resolution: Resolution | None = None
    if req.prefer.resolution == "merge-duplicates":
        resolution = "merge"
    elif req.prefer.resolution == "ignore-duplicates":
        resolution = "ignore"
    conflict = _conflict(table, params) if resolution else ()
    defaults: frozenset[str] = frozenset()
    if req.prefer.missing_default and (req.payload.kind == "array" or params.columns is not None):
        defaults = frozenset(c.name for c in columns)
    return MutatePlan("insert", table, columns, conflict, resolution, defaults, returning=returning)
