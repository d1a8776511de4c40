"""Parse stage: a query-string shape (see querystring.py) → QueryParams. Pure."""

from __future__ import annotations

from supadesk.server.rest import errors
from supadesk.server.rest.filters import (
    parse_filter_key,
    parse_logic_tree,
    parse_node_key,
    parse_operation,
    slotted_operation,
)
from supadesk.server.rest.grammar import parse_int, parse_name_list, parse_order, parse_select
from supadesk.server.rest.querystring import NODE_KEYS, Shape, is_reserved
from supadesk.server.rest.syntax import Filter, QueryParams


def parse_query(shape: Shape, *, rpc_get: bool = False) -> QueryParams:
    """Every parameter of the request; for GET /rpc, non-reserved keys are kept raw in `rpc_args`
    (the call planner decides which are arguments and which are filters)."""
    params = QueryParams()
    slot_index = 0
    for key, value, is_slot in shape:
        if is_slot:
            path, field = parse_filter_key(key)
            params.node(path).conditions.append(Filter(field, slotted_operation(value, slot_index)))
            slot_index += 1
        elif key == "select":
            params.select = parse_select(value)
        elif key == "columns":
            params.columns = parse_name_list(value, "columns")
        elif key == "on_conflict":
            params.on_conflict = parse_name_list(value, "on_conflict")
        elif is_reserved(key):
            apply_node_key(params, key, key.rpartition(".")[2], value)
        elif rpc_get:
            if key in params.rpc_args:
                raise errors.parse_error(f"Repeated function argument: {key}")
            params.rpc_args[key] = value
        else:
            add_filter(params, key, value)
    return params


def add_filter(params: QueryParams, key: str, value: str) -> None:
    path, field = parse_filter_key(key)
    params.node(path).conditions.append(Filter(field, parse_operation(value)))


def apply_node_key(params: QueryParams, key: str, leaf: str, value: str) -> None:
    assert leaf in NODE_KEYS
    if leaf in ("or", "and"):
        path, negated = parse_node_key(key, leaf)
        params.node(path).conditions.append(parse_logic_tree(value, leaf, negated))
        return
    path = tuple(key.split(".")[:-1])
    node = params.node(path)
    if leaf == "order":
        node.order = parse_order(value)
    elif leaf == "limit":
        node.limit = parse_int(value, "limit")
    else:
        node.offset = parse_int(value, "offset")
