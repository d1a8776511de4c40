"""Presence: who is tracked on which topic, here and on the other processes (pure state).

Entries are keyed by a unique `phx_ref`; `state()` and diffs use Phoenix's shape
`{key: {"metas": [{"phx_ref": …, …meta}]}}`. Remote entries are replicas of what other processes
announced on the cluster bus (diffs plus a periodic full snapshot); a process that stops
announcing is expired and its entries leave.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from supadesk.server.realtime.hub import TopicKey

Meta = dict[str, Any]
State = dict[str, dict[str, list[Meta]]]


@dataclass
class Diff:
    joins: dict[str, tuple[str, Meta]] = field(default_factory=dict)  # phx_ref -> (key, meta)
    leaves: dict[str, tuple[str, Meta]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.joins or self.leaves)

    def payload(self) -> dict[str, State]:
        return {"joins": _group(self.joins), "leaves": _group(self.leaves)}


def _group(entries: dict[str, tuple[str, Meta]]) -> State:
    grouped: State = {}
    for ref, (key, meta) in entries.items():
        grouped.setdefault(key, {"metas": []})["metas"].append({**meta, "phx_ref": ref})
    return grouped


def new_ref() -> str:
    return secrets.token_urlsafe(9)


class PresenceTable:
    def __init__(self) -> None:
        # topic -> phx_ref -> (key, meta, owner id)
        self.local: dict[TopicKey, dict[str, tuple[str, Meta, int]]] = {}
        self.remote: dict[str, dict[TopicKey, dict[str, tuple[str, Meta]]]] = {}
        self.remote_seen: dict[str, float] = {}

    def state(self, topic: TopicKey) -> State:
        entries: dict[str, tuple[str, Meta]] = {
            ref: (key, meta) for ref, (key, meta, _) in self.local.get(topic, {}).items()
        }
        for topics in self.remote.values():
            entries.update(topics.get(topic, {}))
        return _group(entries)

    def track(self, topic: TopicKey, owner: int, key: str, meta: Meta) -> Diff:
        diff = self.untrack(topic, owner)
        ref = new_ref()
        self.local.setdefault(topic, {})[ref] = (key, meta, owner)
        diff.joins[ref] = (key, meta)
        return diff

    def untrack(self, topic: TopicKey, owner: int) -> Diff:
        diff = Diff()
        entries = self.local.get(topic)
        if not entries:
            return diff
        for ref, (key, meta, entry_owner) in list(entries.items()):
            if entry_owner == owner:
                del entries[ref]
                diff.leaves[ref] = (key, meta)
        if not entries:
            del self.local[topic]
        return diff

    def snapshot(self) -> dict[TopicKey, dict[str, tuple[str, Meta]]]:
        return {t: {r: (k, m) for r, (k, m, _) in e.items()} for t, e in self.local.items()}

    # -- replicas of other processes ----------------------------------------------------------

    def apply_remote_diff(self, node: str, topic: TopicKey, diff: Diff) -> None:
        self.remote_seen[node] = time.monotonic()
        entries = self.remote.setdefault(node, {}).setdefault(topic, {})
        for ref in diff.leaves:
            entries.pop(ref, None)
        entries.update(diff.joins)

    def apply_remote_snapshot(
        self, node: str, snapshot: dict[TopicKey, dict[str, tuple[str, Meta]]]
    ) -> dict[TopicKey, Diff]:
        """Replace a node's replica; return the diffs to deliver locally."""
        self.remote_seen[node] = time.monotonic()
        before = self.remote.get(node, {})
        diffs: dict[TopicKey, Diff] = {}
        for topic in set(before) | set(snapshot):
            old, new = before.get(topic, {}), snapshot.get(topic, {})
            diff = Diff(
                joins={r: v for r, v in new.items() if r not in old},
                leaves={r: v for r, v in old.items() if r not in new},
            )
            if diff:
                diffs[topic] = diff
        self.remote[node] = {t: dict(e) for t, e in snapshot.items() if e}
        return diffs

    def expire(self, max_age_s: float) -> dict[TopicKey, Diff]:
        now = time.monotonic()
        diffs: dict[TopicKey, Diff] = {}
        for node, seen in list(self.remote_seen.items()):
            if now - seen > max_age_s:
                for topic, diff in self.apply_remote_snapshot(node, {}).items():
                    diffs.setdefault(topic, Diff()).leaves.update(diff.leaves)
                self.remote.pop(node, None)
                self.remote_seen.pop(node, None)
        return diffs
