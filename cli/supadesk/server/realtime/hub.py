"""Topic registry and broadcast fan-out for the channels of this process.

A broadcast is encoded once per wire format (vsn 1.0.0 text, vsn 2.0.0 kind-4 binary) and queued
to every member of the topic; public and private channels are separate namespaces. Broadcasts that
start here are also published on the cluster bus so members on other processes get them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from supadesk.server.realtime import serializer
from supadesk.server.realtime.protocol import BINARY_ENCODING, BROADCAST, TOPIC_PREFIX, ProtocolError
from supadesk.server.realtime.serializer import V1, V2

TopicKey = tuple[bool, str]  # (private, channel name)


class Member(Protocol):
    @property
    def vsn(self) -> str: ...

    @property
    def topic_key(self) -> TopicKey: ...

    @property
    def can_read(self) -> bool: ...

    def send_frame(self, frame: str | bytes) -> None: ...


class Hub:
    def __init__(self) -> None:
        self.topics: dict[TopicKey, set[Member]] = {}
        self.publish: Callable[[TopicKey, str, int, bytes], None] | None = None  # set by the cluster bus

    def add(self, member: Member) -> None:
        self.topics.setdefault(member.topic_key, set()).add(member)

    def remove(self, member: Member) -> None:
        members = self.topics.get(member.topic_key)
        if members is not None:
            members.discard(member)
            if not members:
                del self.topics[member.topic_key]

    def members(self, key: TopicKey) -> set[Member]:
        return self.topics.get(key, set())

    def broadcast(
        self,
        key: TopicKey,
        event: str,
        encoding: int,
        data: bytes,
        sender: Member | None = None,
        include_sender: bool = False,
        local_only: bool = False,
    ) -> int:
        """Fan a user broadcast out to the topic's members; returns the number of frames queued.

        `data` is the user payload as received: JSON text (encoding 1) or raw bytes (encoding 0).
        """
        members = self.topics.get(key)
        sent = 0
        if members:
            frames = _Frames(TOPIC_PREFIX + key[1], event, encoding, data)
            for member in list(members):
                if member is sender and not include_sender:
                    continue
                if not member.can_read:
                    continue
                frame = frames.get(member.vsn)
                if frame is not None:
                    member.send_frame(frame)
                    sent += 1
        if not local_only and self.publish is not None:
            self.publish(key, event, encoding, data)
        return sent


class _Frames:
    """Lazily encoded frames of one broadcast, one per serializer."""

    __slots__ = ("data", "encoding", "event", "topic", "v1", "v2")

    def __init__(self, topic: str, event: str, encoding: int, data: bytes) -> None:
        self.topic, self.event, self.encoding, self.data = topic, event, encoding, data
        self.v1: str | None = None
        self.v2: str | bytes | None = None

    def get(self, vsn: str) -> str | bytes | None:
        if vsn == V2:
            if self.v2 is None:
                try:
                    self.v2 = serializer.encode_user_broadcast(self.topic, self.event, self.encoding, self.data)
                except ProtocolError:
                    self.v2 = self._text(V2)
            return self.v2
        if self.encoding == BINARY_ENCODING:
            return None  # vsn 1.0.0 cannot carry binary payloads
        if self.v1 is None:
            self.v1 = self._text(V1)
        return self.v1

    def _text(self, vsn: str) -> str:
        inner = f'{{"type":"broadcast","event":{serializer.dumps(self.event)},"payload":{self.data.decode()}}}'
        return serializer.encode_raw(vsn, self.topic, BROADCAST, inner)
