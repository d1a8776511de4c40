"""parse → plan → SQL for one request shape, and the cache of the result.

`compile_request` is deterministic in its `ApiRequest` (method, target, query shape, preferences,
media, range, payload shape) and the schema cache, so its `Compiled` is cached under that key.
"""

from __future__ import annotations

import difflib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal

from supadesk.server.rest import errors
from supadesk.server.rest.params import parse_query
from supadesk.server.rest.plan.call import plan_call
from supadesk.server.rest.plan.mutate import plan_mutation
from supadesk.server.rest.plan.read import plan_read
from supadesk.server.rest.preferences import CountPref, Media
from supadesk.server.rest.request import Action, ApiRequest
from supadesk.server.rest.schema.model import SchemaCache, Table
from supadesk.server.rest.sql.call import call_sql
from supadesk.server.rest.sql.mutate import mutation_sql, representation_sql
from supadesk.server.rest.sql.params import BodyParam, ConstParam, ParamSource, SqlParams
from supadesk.server.rest.sql.read import planned_count_sql, read_sql, table_source
from supadesk.server.rest.syntax import QueryParams

ResultMode = Literal["rows", "object", "minimal", "void", "scalar"]


@dataclass(frozen=True)
class Statement:
    sql: str
    sources: tuple[ParamSource, ...]


@dataclass(frozen=True)
class Compiled:
    """Everything execution and response need; nothing specific to one request's values."""

    action: Action
    main: Statement
    readonly: bool
    mode: ResultMode
    media: Media
    count: CountPref | None
    head: bool
    rollback: bool
    applied: tuple[str, ...]
    offset: int = 0
    planned_count: Statement | None = None
    location_table: str | None = None
    max_rows: int | None = None
    max_affected: int | None = None  # `Prefer: handling=strict, max-affected=n` on PATCH/DELETE


def find_table(cache: SchemaCache, name: str) -> Table:
    table = cache.tables.get(name)
    if table is None:
        close = difflib.get_close_matches(name, list(cache.tables), n=1)
        raise errors.table_not_found(cache.schema, name, close[0] if close else None)
    return table


def compile_request(cache: SchemaCache, req: ApiRequest, max_rows: int | None) -> Compiled:
    params = parse_query(req.shape, rpc_get=req.action == "call" and req.method in ("GET", "HEAD"))
    if req.action == "call":
        return _compile_call(cache, req, params, max_rows)
    table = find_table(cache, req.target.name)
    if req.action == "read":
        return _compile_read(cache, req, table, params, max_rows)
    return _compile_mutation(cache, req, table, params)


def _rows_mode(req: ApiRequest) -> ResultMode:
    return "object" if req.media.kind == "object" else "rows"


def _compiled(
    req: ApiRequest,
    main: Statement,
    readonly: bool,
    mode: ResultMode,
    *,
    offset: int = 0,
    planned_count: Statement | None = None,
    location_table: str | None = None,
    max_rows: int | None = None,
) -> Compiled:
    return Compiled(
        action=req.action,
        main=main,
        readonly=readonly,
        mode=mode,
        media=req.media,
        count=req.prefer.count,
        head=req.method == "HEAD",
        rollback=req.prefer.rollback,
        applied=req.prefer.applied,
        max_affected=req.prefer.max_affected if req.action in ("update", "delete") else None,
        offset=offset,
        planned_count=planned_count,
        location_table=location_table,
        max_rows=max_rows,
    )


def _compile_read(
    cache: SchemaCache, req: ApiRequest, table: Table, params: QueryParams, max_rows: int | None
) -> Compiled:
    root = plan_read(cache, table, params, req.range, max_rows)
    source = table_source(table, root.alias)
    sql_params = SqlParams()
    main = Statement(
        read_sql(root, source, sql_params, req.prefer.count == "exact", req.media.strip_nulls),
        tuple(sql_params.sources),
    )
    planned = None
    if req.prefer.count in ("planned", "estimated"):
        count_params = SqlParams()
        planned = Statement(planned_count_sql(root, source, count_params), tuple(count_params.sources))
    return _compiled(
        req, main, True, _rows_mode(req), offset=root.offset or 0, planned_count=planned, max_rows=max_rows
    )


def _compile_mutation(cache: SchemaCache, req: ApiRequest, table: Table, params: QueryParams) -> Compiled:
    plan = plan_mutation(cache, table, req, params)
    sql_params = SqlParams()
    mode: ResultMode = "minimal"
    if plan.returning is None:
        sql = mutation_sql(plan, sql_params)
    else:
        sql, mode = representation_sql(plan, sql_params, req.media.strip_nulls), _rows_mode(req)
    location = table.name if req.prefer.return_ == "headers-only" and req.action == "insert" else None
    return _compiled(req, Statement(sql, tuple(sql_params.sources)), False, mode, location_table=location)


def _compile_call(cache: SchemaCache, req: ApiRequest, params: QueryParams, max_rows: int | None) -> Compiled:
    plan, get_args = plan_call(cache, req, params, max_rows)
    sql_params = SqlParams()
    sql = call_sql(plan, sql_params, req.prefer.count == "exact", req.media.strip_nulls)
    sources = tuple(
        ConstParam(get_args) if get_args is not None and isinstance(s, BodyParam) else s for s in sql_params.sources
    )
    routine = plan.routine
    mode: ResultMode
    if routine.return_kind == "void":
        mode = "void"
    elif routine.returns_set:
        mode = _rows_mode(req)
    else:
        mode = "scalar" if routine.return_kind == "scalar" else "object"
    readonly = req.method in ("GET", "HEAD") or routine.read_only
    offset = (plan.read.offset or 0) if plan.read is not None else 0
    return _compiled(req, Statement(sql, sources), readonly, mode, offset=offset, max_rows=max_rows)


class PlanCache:
    """A bounded LRU of compiled requests, cleared when the schema cache reloads."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Compiled] = OrderedDict()

    def get(self, key: Hashable) -> Compiled | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Compiled) -> None:
        self._entries[key] = value
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
