"""Call plans: pick the function by name and argument names, then plan its result like a table."""

from __future__ import annotations

import json

from supadesk.server.rest import errors
from supadesk.server.rest.params import add_filter
from supadesk.server.rest.plan.model import CallPlan
from supadesk.server.rest.plan.read import plan_read
from supadesk.server.rest.request import ApiRequest
from supadesk.server.rest.schema.model import Column, Routine, SchemaCache, Table
from supadesk.server.rest.syntax import QueryParams


def _fits(routine: Routine, provided: set[str]) -> bool:
    names = {a.name for a in routine.arguments}
    required = {a.name for a in routine.arguments if a.required}
    return required <= provided <= names


def choose_routine(cache: SchemaCache, name: str, provided: set[str], posted_other: bool) -> Routine:
    candidates = cache.routines.get(name, [])
    single_json = [r for r in candidates if r.single_unnamed_json]
    named = [r for r in candidates if not r.single_unnamed_json and _fits(r, provided)]
    if posted_other or (not named and single_json):
        named = single_json
    if not named:
        raise errors.function_not_found(cache.schema, name, sorted(provided))
    if len(named) > 1:
        raise errors.ambiguous_function(cache.schema, name)
    return named[0]


def _split_get_args(cache: SchemaCache, name: str, params: QueryParams) -> tuple[Routine, dict[str, str]]:
    """GET: keys that are arguments of the best-fitting function are arguments, the rest filters."""
    keys = set(params.rpc_args)
    best: Routine | None = None
    for routine in cache.routines.get(name, []):
        names = {a.name for a in routine.arguments}
        if routine.single_unnamed_json or not _fits(routine, keys & names):
            continue
        if best is None or len(keys & names) > len(keys & {a.name for a in best.arguments}):
            best = routine
    if best is None:
        raise errors.function_not_found(cache.schema, name, sorted(keys))
    names = {a.name for a in best.arguments}
    args = {k: v for k, v in params.rpc_args.items() if k in names}
    for key, value in params.rpc_args.items():
        if key not in names:
            add_filter(params, key, value)
    return best, args


def plan_call(
    cache: SchemaCache, req: ApiRequest, params: QueryParams, max_rows: int | None
) -> tuple[CallPlan, str | None]:
    """The plan, and for GET the JSON text of the arguments (a constant of the query shape)."""
    name = req.target.name
    get_args: str | None = None
    if req.method in ("GET", "HEAD"):
        routine, args = _split_get_args(cache, name, params)
        get_args = json.dumps(args)
        provided = set(args)
    else:
        provided = set(req.payload.keys)
        routine = choose_routine(cache, name, provided, req.payload.kind == "other")
    arguments = tuple(a for a in routine.arguments if a.name in provided or routine.single_unnamed_json)
    if routine.scalar_set:  # rows of one column named after the function, filterable like a table
        table = Table(cache.schema, routine.name, {routine.name: Column(routine.name, routine.return_type)})
        read = plan_read(cache, table, params, req.range, max_rows, embeddable=False)
        return CallPlan(routine, arguments, read), get_args
    if routine.return_kind != "composite":
        if any(m.conditions or m.order for m in params.modifiers.values()):
            raise errors.parse_error(f"The result of {name} is not a table: it cannot be filtered or ordered")
        return CallPlan(routine, arguments, None), get_args
    if routine.result_table is not None:
        table = cache.tables[routine.result_table]
    else:
        table = Table(cache.schema, routine.name, routine.result_columns)
    read = plan_read(
        cache,
        table,
        params,
        req.range if routine.returns_set else None,
        max_rows if routine.returns_set else None,
        embeddable=routine.result_table is not None,
    )
    return CallPlan(routine, arguments, read), get_args
