"""The `config` of a `phx_join` (pure): broadcast self/ack, presence key/enabled, private, and the
postgres_changes bindings with the ids the reply must echo in the same order."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from supadesk.server.realtime.serializer import dumps

EVENTS = ("*", "INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class BindingSpec:
    id: int
    event: str  # one of EVENTS (others are treated as "*", as the real server does)
    schema: str
    table: str | None
    filter: str | None
    params: dict[str, Any]  # as sent, echoed in the reply with the id


@dataclass(frozen=True)
class JoinConfig:
    self_broadcast: bool
    ack_broadcast: bool
    presence_key: str
    presence_enabled: bool
    private: bool
    bindings: tuple[BindingSpec, ...]
    access_token: str | None

    def reply_bindings(self) -> list[dict[str, Any]]:
        return [{**b.params, "id": b.id} for b in self.bindings]


def binding_id(params: dict[str, Any]) -> int:
    """A stable, non-zero 31-bit id per distinct binding (the real server hashes the params too)."""
    return (zlib.crc32(dumps(params).encode()) & 0x7FFFFFFF) or 1


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def parse(payload: dict[str, Any]) -> JoinConfig:
    config = _dict(payload.get("config"))
    broadcast = _dict(config.get("broadcast"))
    presence = _dict(config.get("presence"))
    bindings = []
    raw_bindings = config.get("postgres_changes")
    for raw in raw_bindings if isinstance(raw_bindings, list) else []:
        if not isinstance(raw, dict):
            continue
        event = str(raw.get("event") or "*").upper()
        bindings.append(
            BindingSpec(
                id=binding_id(raw),
                event=event if event in EVENTS else "*",
                schema=_str(raw.get("schema")) or "public",
                table=_str(raw.get("table")) if raw.get("table") != "*" else None,
                filter=_str(raw.get("filter")),
                params=dict(raw),
            )
        )
    token = payload.get("access_token") or payload.get("user_token")
    return JoinConfig(
        self_broadcast=broadcast.get("self") is True,
        ack_broadcast=broadcast.get("ack") is True,
        presence_key=str(presence.get("key") or ""),
        presence_enabled=presence.get("enabled") is True,
        private=config.get("private") is True,
        bindings=tuple(bindings),
        access_token=token if isinstance(token, str) and token else None,
    )
