"""Phoenix serializers: vsn 1.0.0 (JSON objects, supabase-py) and 2.0.0 (JSON arrays plus binary
user-broadcast frames, supabase-js). Pure functions over str/bytes.

Binary kind 3 (client → server, userBroadcastPush):
  kind | join_ref len | ref len | topic len | event len | meta len | encoding | strings… | payload
Binary kind 4 (server → client, userBroadcast):
  kind | topic len | event len | meta len | encoding | topic | event | meta | payload
"""

from __future__ import annotations

import json
from typing import Any

from supadesk.server.realtime.protocol import BroadcastPush, Inbound, ProtocolError

V1 = "1.0.0"
V2 = "2.0.0"
VERSIONS = (V1, V2)
_KIND_PUSH = 3
_KIND_BROADCAST = 4

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    return _dumps(value)


def decode(vsn: str, frame: str | bytes) -> Inbound | BroadcastPush:
    if isinstance(frame, bytes):
        if vsn != V2:
            raise ProtocolError("binary frames need vsn 2.0.0")
        return _decode_push(frame)
    try:
        raw = json.loads(frame)
    except ValueError as exc:
        raise ProtocolError("frame is not JSON") from exc
    if vsn == V2:
        if not isinstance(raw, list) or len(raw) != 5:
            raise ProtocolError("expected [join_ref, ref, topic, event, payload]")
        join_ref, ref, topic, event, payload = raw
    else:
        if not isinstance(raw, dict):
            raise ProtocolError("expected a JSON object")
        join_ref, ref = raw.get("join_ref"), raw.get("ref")
        topic, event, payload = raw.get("topic"), raw.get("event"), raw.get("payload")
    if not isinstance(topic, str) or not isinstance(event, str):
        raise ProtocolError("topic and event must be strings")
    if not isinstance(payload, dict):
        payload = {}
    return Inbound(_ref(join_ref), _ref(ref), topic, event, payload)


def _ref(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _decode_push(frame: bytes) -> BroadcastPush:
    if len(frame) < 7 or frame[0] != _KIND_PUSH:
        raise ProtocolError("unsupported binary frame")
    lengths = frame[1:6]
    encoding = frame[6]
    offset = 7
    parts: list[str] = []
    for length in lengths:
        end = offset + length
        if end > len(frame):
            raise ProtocolError("truncated binary frame")
        parts.append(frame[offset:end].decode("utf-8", "strict"))
        offset = end
    join_ref, ref, topic, event, _meta = parts
    return BroadcastPush(join_ref or None, ref or None, topic, event, encoding, frame[offset:])


def encode(vsn: str, topic: str, event: str, payload: Any, ref: str | None = None, join_ref: str | None = None) -> str:
    """One text frame: v2 `[join_ref, ref, topic, event, payload]`, v1 an object."""
    if vsn == V2:
        return _dumps([join_ref, ref, topic, event, payload])
    message: dict[str, Any] = {"topic": topic, "event": event, "payload": payload, "ref": ref}
    if join_ref is not None:
        message["join_ref"] = join_ref
    return _dumps(message)


def encode_raw(vsn: str, topic: str, event: str, payload_json: str) -> str:
    """Like `encode` with ref null, around a payload that is already JSON text (fan-out path)."""
    if vsn == V2:
        return f"[null,null,{_dumps(topic)},{_dumps(event)},{payload_json}]"
    return f'{{"topic":{_dumps(topic)},"event":{_dumps(event)},"payload":{payload_json},"ref":null}}'


def raw_frame_parts(vsn: str, topic: str, event: str) -> tuple[str, str]:
    """(prefix, suffix) such that prefix + payload_json + suffix == encode_raw(...): a channel
    computes them once and frames each postgres_changes push with two concatenations."""
    if vsn == V2:
        return f"[null,null,{_dumps(topic)},{_dumps(event)},", "]"
    return f'{{"topic":{_dumps(topic)},"event":{_dumps(event)},"payload":', ',"ref":null}'


def encode_user_broadcast(topic: str, event: str, encoding: int, data: bytes) -> bytes:
    """A kind-4 binary frame (v2 clients) carrying the user payload as it came in."""
    t, e = topic.encode(), event.encode()
    if len(t) > 255 or len(e) > 255:
        raise ProtocolError("topic or event longer than 255 bytes")
    return bytes((_KIND_BROADCAST, len(t), len(e), 0, encoding)) + t + e + data
