"""postgres_changes: match decoded changes to subscriptions, check RLS in batches, deliver in order.

For each batch (one slot read): every change is matched against the bindings of its table
(event + filter, in Python), column privileges are applied per role, and for tables with RLS the
(change, subscriber) pairs that need a check are answered by one `VisibilityChecker` call per
table for all distinct (role, claims) groups. Deliveries are then queued to the sockets in commit
order, so a subscriber sees one ticket's changes in commit order. DELETEs are not RLS-checked
(only the primary key is sent), as on Supabase.

Catalog and privilege look-ups run on the checker's dedicated connection. A batch that cannot be
dispatched (database gone, unexpected error) raises: the caller must tell the subscribers, who
rejoin and catch up, rather than let them miss changes silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from supadesk.server.realtime.catalog import Catalog, TableInfo
from supadesk.server.realtime.changes import ChangeView
from supadesk.server.realtime.filters import Filter
from supadesk.server.realtime.pgoutput import RowChange
from supadesk.server.realtime.visibility import ClaimsGroup, VisibilityChecker

log = logging.getLogger("supadesk.realtime.dispatch")

_DELIVER_SLICE = 256  # changes delivered between two yields to the event loop


class ChangeSubscriber(Protocol):
    """A joined channel as the dispatcher sees it."""

    @property
    def claims_group(self) -> ClaimsGroup: ...

    def push_change(self, ids: list[int], data_json: str) -> None: ...


@dataclass(eq=False)
class Binding:
    id: int
    event: str
    schema: str
    table: str | None
    filter: Filter | None
    subscriber: ChangeSubscriber


class Dispatcher:
    def __init__(self, catalog: Catalog, checker: VisibilityChecker, max_record_bytes: int):
        self.catalog = catalog
        self.checker = checker
        self.max_record_bytes = max_record_bytes
        self._by_table: dict[tuple[str, str], set[Binding]] = {}
        self._by_schema: dict[str, set[Binding]] = {}
        self.delivered = 0

    # -- subscriptions -----------------------------------------------------------------------

    def add(self, binding: Binding) -> None:
        if binding.table is None:
            self._by_schema.setdefault(binding.schema, set()).add(binding)
        else:
            self._by_table.setdefault((binding.schema, binding.table), set()).add(binding)

    def remove(self, bindings: Iterable[Binding]) -> None:
        for binding in bindings:
            if binding.table is None:
                bucket = self._by_schema.get(binding.schema)
                key: Any = binding.schema
                index: dict[Any, set[Binding]] = self._by_schema
            else:
                key = (binding.schema, binding.table)
                bucket = self._by_table.get(key)
                index = self._by_table
            if bucket is not None:
                bucket.discard(binding)
                if not bucket:
                    del index[key]

    def subscribers(self) -> set[ChangeSubscriber]:
        found: set[ChangeSubscriber] = set()
        for bucket in (*self._by_table.values(), *self._by_schema.values()):
            found.update(b.subscriber for b in bucket)
        return found

    def wants(self, schema: str, name: str) -> bool:
        """Does any binding listen to this table (the decoder skips the rows of the others)?"""
        return (schema, name) in self._by_table or schema in self._by_schema or "*" in self._by_schema

    def _candidates(self, table: TableInfo) -> list[Binding]:
        found = list(self._by_table.get((table.schema, table.name), ()))
        found.extend(self._by_schema.get(table.schema, ()))
        found.extend(self._by_schema.get("*", ()))
        return found

    # -- dispatch ----------------------------------------------------------------------------

    async def dispatch(self, changes: list[RowChange]) -> None:
        """Deliver one batch, in commit order; raises when the batch could not be delivered."""
        try:
            await self._dispatch(changes)
        except BaseException:
            self.checker.reset()
            raise

    async def _dispatch(self, changes: list[RowChange]) -> None:
        if not (self._by_table or self._by_schema):
            return
        views = await self._views(changes)
        # per change: subscriber -> matched binding ids
        matched: list[tuple[ChangeView, dict[ChangeSubscriber, list[int]]]] = []
        for view in views:
            per_sub: dict[ChangeSubscriber, list[int]] = {}
            record = view.filter_record()
            for b in self._candidates(view.table):
                if b.event != "*" and b.event != view.kind:
                    continue
                if b.filter is not None and not b.filter.matches(record):
                    continue
                per_sub.setdefault(b.subscriber, []).append(b.id)
            if per_sub:
                matched.append((view, per_sub))
        if not matched:
            return
        visible_cols = await self._columns(matched)
        allowed = await self._rls(matched, visible_cols)
        for index, (view, per_sub) in enumerate(matched):
            if index and index % _DELIVER_SLICE == 0:
                await asyncio.sleep(0)  # order holds: only this coroutine delivers changes
            for sub, ids in per_sub.items():
                group = sub.claims_group
                if (index, group) not in allowed:
                    continue
                sub.push_change(ids, view.data_json(visible_cols[(group.role, view.table.oid)]))
                self.delivered += 1

    async def _views(self, changes: list[RowChange]) -> list[ChangeView]:
        refreshed = False
        views = []
        for change in changes:
            rel = change.relation
            table = self.catalog.table(rel.schema, rel.name)
            if (table is None or table.columns != tuple(c.name for c in rel.columns)) and not refreshed:
                await self.catalog.refresh(await self.checker.connection())
                refreshed = True
                table = self.catalog.table(rel.schema, rel.name)
            if table is None or table.columns != tuple(c.name for c in rel.columns):
                continue
            if not self._candidates(table):
                continue  # nobody listens to this table: skip the conversion
            views.append(ChangeView.build(table, change, self.max_record_bytes))
        return views

    async def _columns(
        self, matched: list[tuple[ChangeView, dict[ChangeSubscriber, list[int]]]]
    ) -> dict[tuple[str, int], frozenset[str]]:
        needed = {(sub.claims_group.role, view.table.oid): view.table for view, subs in matched for sub in subs}
        result: dict[tuple[str, int], frozenset[str]] = {}
        missing = []
        for (role, oid), table in needed.items():
            cached = self.catalog.selectable_cached(role, table)
            if cached is None:
                missing.append((role, oid, table))
            else:
                result[(role, oid)] = cached
        if missing:
            conn = await self.checker.connection()
            for role, oid, table in missing:
                result[(role, oid)] = await self.catalog.selectable(conn, role, table)
            for role in {m[0] for m in missing}:
                await self.catalog.bypasses_rls(conn, role)
        return result

    async def _rls(
        self,
        matched: list[tuple[ChangeView, dict[ChangeSubscriber, list[int]]]],
        visible_cols: dict[tuple[str, int], frozenset[str]],
    ) -> set[tuple[int, ClaimsGroup]]:
        """(change index, claims group) pairs allowed to see the change."""
        allowed: set[tuple[int, ClaimsGroup]] = set()
        # table oid -> (table, [change indexes], {group: group index}, [(change idx, group)])
        pending: dict[int, tuple[TableInfo, list[int], dict[ClaimsGroup, int], list[tuple[int, ClaimsGroup]]]] = {}
        for index, (view, subs) in enumerate(matched):
            table = view.table
            for group in {s.claims_group for s in subs}:
                cols = visible_cols[(group.role, table.oid)]
                needs_check = (
                    table.rls
                    and view.kind != "DELETE"
                    and set(table.key) <= cols
                    and not self.catalog.bypass_cached(group.role)
                    and view.key is not None
                )
                if not needs_check:
                    allowed.add((index, group))
                    continue
                entry = pending.setdefault(table.oid, (table, [], {}, []))
                if not entry[1] or entry[1][-1] != index:
                    entry[1].append(index)
                entry[2].setdefault(group, len(entry[2]))
                entry[3].append((index, group))
        for table, indexes, groups, pairs in pending.values():
            key_pos = {change_index: pos for pos, change_index in enumerate(indexes)}
            keys = [matched[i][0].key or {} for i in indexes]
            ordered = sorted(groups, key=lambda g: (g.role, groups[g]))
            group_pos = {g: pos for pos, g in enumerate(ordered)}
            visible = await self.checker.visible(table, keys, ordered)
            for change_index, group in pairs:
                if (group_pos[group], key_pos[change_index]) in visible:
                    allowed.add((change_index, group))
        return allowed
