"""Phoenix channel messages as the Realtime server speaks them (pure data, no sockets).

Incoming frames decode to `Inbound` (any event) or `BroadcastPush` (a vsn 2.0.0 binary user
broadcast, kind 3). Outgoing messages are encoded once per serializer by `serializer.py`.
Error reasons use the real server's codes: `"<Code>: <message>"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PHOENIX_TOPIC = "phoenix"
TOPIC_PREFIX = "realtime:"

JOIN = "phx_join"
LEAVE = "phx_leave"
REPLY = "phx_reply"
CLOSE = "phx_close"
ERROR = "phx_error"
HEARTBEAT = "heartbeat"
ACCESS_TOKEN = "access_token"
BROADCAST = "broadcast"
PRESENCE = "presence"
PRESENCE_STATE = "presence_state"
PRESENCE_DIFF = "presence_diff"
SYSTEM = "system"
POSTGRES_CHANGES = "postgres_changes"

JSON_ENCODING = 1
BINARY_ENCODING = 0


class ProtocolError(Exception):
    """A frame that cannot be decoded; the socket answers by closing with 1003/1007."""


@dataclass(frozen=True, slots=True)
class Inbound:
    join_ref: str | None
    ref: str | None
    topic: str
    event: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BroadcastPush:
    """A user broadcast whose payload stays encoded (JSON text bytes, or raw binary)."""

    join_ref: str | None
    ref: str | None
    topic: str
    user_event: str
    encoding: int  # JSON_ENCODING or BINARY_ENCODING
    data: bytes


def reason(code: str, message: str) -> dict[str, str]:
    return {"reason": f"{code}: {message}"}


def ok(response: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"status": "ok", "response": response or {}}


def error(response: dict[str, Any]) -> dict[str, Any]:
    return {"status": "error", "response": response}


def system_payload(channel: str, extension: str, status: str, message: str) -> dict[str, str]:
    return {"channel": channel, "extension": extension, "status": status, "message": message}


def subtopic(topic: str) -> str | None:
    """The channel name of a `realtime:<name>` topic, or None for another prefix."""
    return topic[len(TOPIC_PREFIX) :] if topic.startswith(TOPIC_PREFIX) else None
