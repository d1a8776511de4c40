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

CHECK_FAILED = "Realtime could not check your access to some changes; rejoin and catch up"

_DELIVER_SLICE = 256  # changes delivered between two yields to the event loop


class ChangeSubscriber(Protocol):
    """A joined channel as the dispatcher sees it."""

    @property
    def claims_group(self) -> ClaimsGroup: ...

    def push_change(self, ids: list[int], data_json: str) -> None: ...

    def fail(self, message: str) -> None: ...


@dataclass(eq=False)
class Binding:
    id: int
    event: str
    schema: str
    table: str | None
    filter: Filter | None
    subscriber: ChangeSubscriber


PerSub = dict[ChangeSubscriber, list[int]]  # subscriber -> ids of its bindings that matched


class Dispatcher:
    def __init__(self, catalog: Catalog, checker: VisibilityChecker, max_record_bytes: int):
        self.catalog = catalog
        self.checker = checker
        self.max_record_bytes = max_record_bytes
        self._by_table: dict[tuple[str, str], set[Binding]] = {}
        self._by_schema: dict[str, set[Binding]] = {}
        # (table oid, kind) -> (subscribers of the bindings without filter, bindings with one);
        # the first part is shared, read-only, by every change of that kind in every batch.
        self._plans: dict[tuple[int, str], tuple[PerSub, list[Binding]]] = {}
        self.delivered = 0

    # -- subscriptions -----------------------------------------------------------------------

    def add(self, binding: Binding) -> None:
        self._plans.clear()
        if binding.table is None:
            self._by_schema.setdefault(binding.schema, set()).add(binding)
        else:
            self._by_table.setdefault((binding.schema, binding.table), set()).add(binding)

    def remove(self, bindings: Iterable[Binding]) -> None:
        self._plans.clear()
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

    def _plan(self, table: TableInfo, kind: str) -> tuple[PerSub, list[Binding]]:
        plan = self._plans.get((table.oid, kind))
        if plan is None:
            shared: PerSub = {}
            filtered = []
            for b in self._candidates(table):
                if b.event != "*" and b.event != kind:
                    continue
                if b.filter is None:
                    shared.setdefault(b.subscriber, []).append(b.id)
                else:
                    filtered.append(b)
            plan = self._plans[(table.oid, kind)] = (shared, filtered)
        return plan

    def _match(self, view: ChangeView) -> PerSub:
        shared, filtered = self._plan(view.table, view.kind)
        if not filtered:
            return shared
        record = view.filter_record()
        hits = [b for b in filtered if b.filter is not None and b.filter.matches(record)]
        if not hits:
            return shared
        per_sub = {sub: list(ids) for sub, ids in shared.items()}
        for b in hits:
            per_sub.setdefault(b.subscriber, []).append(b.id)
        return per_sub

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
        matched = [(view, per_sub) for view in await self._views(changes) if (per_sub := self._match(view))]
        if not matched:
            return
        # Claims as they are now: a token refreshed while the batch awaits the database is used
        # from the next batch on, so what is delivered is exactly what was checked.
        groups: dict[ChangeSubscriber, ClaimsGroup] = {}
        roles: dict[int, set[str]] = {}  # table oid -> roles of its subscribers
        seen: set[int] = set()
        for view, per_sub in matched:
            if id(per_sub) in seen:
                continue
            seen.add(id(per_sub))
            table_roles = roles.setdefault(view.table.oid, set())
            for sub in per_sub:
                group = groups.get(sub)
                if group is None:
                    group = groups[sub] = sub.claims_group
                table_roles.add(group.role)
        tables = {view.table.oid: view.table for view, _ in matched}
        columns = await self._columns(tables, roles)
        failed: set[ClaimsGroup] = set()
        verdicts = await self._rls(matched, groups, tables, roles, columns, failed)
        for sub, group in groups.items():
            if group in failed:  # told, rather than left to miss the changes it may see
                sub.fail(CHECK_FAILED)
        for index, (view, per_sub) in enumerate(matched):
            if index and index % _DELIVER_SLICE == 0:
                await asyncio.sleep(0)  # order holds: only this coroutine delivers changes
            oid = view.table.oid
            checked, allowed = verdicts.get(index, (_NONE, _NONE))
            for sub, ids in per_sub.items():
                group = groups[sub]
                if group.role in checked and group not in allowed:
                    continue
                sub.push_change(ids, view.data_json(columns[(group.role, oid)]))
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
        self, tables: dict[int, TableInfo], roles: dict[int, set[str]]
    ) -> dict[tuple[str, int], frozenset[str]]:
        """The columns each role may SELECT, per table (cached by the catalog)."""
        result: dict[tuple[str, int], frozenset[str]] = {}
        missing = []
        for oid, table_roles in roles.items():
            for role in table_roles:
                cached = self.catalog.selectable_cached(role, tables[oid])
                if cached is None:
                    missing.append((role, tables[oid]))
                else:
                    result[(role, oid)] = cached
        if missing:
            conn = await self.checker.connection()
            for role, table in missing:
                result[(role, table.oid)] = await self.catalog.selectable(conn, role, table)
            for role in {role for role, _ in missing}:
                await self.catalog.bypasses_rls(conn, role)
        return result

    async def _rls(
        self,
        matched: list[tuple[ChangeView, PerSub]],
        groups: dict[ChangeSubscriber, ClaimsGroup],
        tables: dict[int, TableInfo],
        roles: dict[int, set[str]],
        columns: dict[tuple[str, int], frozenset[str]],
        failed: set[ClaimsGroup],
    ) -> dict[int, tuple[frozenset[str], set[ClaimsGroup]]]:
        """Per change that needs an RLS check: (roles checked, claims groups allowed to see it).

        One query per table and batch answers every (group, row) pair; groups whose check
        failed are added to `failed`. A role is checked unless
        it bypasses RLS or may not read the primary key (then the change carries Error 401);
        DELETEs and rows without a primary key are not checked, as on Supabase."""
        verdicts: dict[int, tuple[frozenset[str], set[ClaimsGroup]]] = {}
        for oid, table in tables.items():
            if not table.rls:
                continue
            key = set(table.key)
            checked = frozenset(r for r in roles[oid] if key <= columns[(r, oid)] and not self.catalog.bypass_cached(r))
            if not checked:
                continue
            indexes = [
                i
                for i, (view, _) in enumerate(matched)
                if view.table.oid == oid and view.kind != "DELETE" and view.key is not None
            ]
            if not indexes:
                continue
            xids = {matched[i][0].change.xid for i in indexes}
            if not await self.checker.wait_committed(xids, self.checker.timeout_s):
                raise RuntimeError(f"transactions {sorted(xids)} stayed in progress after their commit was streamed")
            candidates: set[ClaimsGroup] = set()
            seen: set[int] = set()
            for i in indexes:
                per_sub = matched[i][1]
                if id(per_sub) not in seen:
                    seen.add(id(per_sub))
                    candidates.update(g for g in map(groups.__getitem__, per_sub) if g.role in checked)
            ordered = sorted(candidates, key=lambda g: (g.role, g.claims_json))
            keys = [matched[i][0].key or {} for i in indexes]
            allowed: list[set[ClaimsGroup]] = [set() for _ in indexes]
            pairs, failed_positions = await self.checker.visible(table, keys, ordered)
            for group_pos, key_pos in pairs:
                allowed[key_pos].add(ordered[group_pos])
            failed.update(ordered[pos] for pos in failed_positions)
            for i, visible in zip(indexes, allowed, strict=True):
                verdicts[i] = (checked, visible)
        return verdicts


_NONE: frozenset[Any] = frozenset()
