"""A frame written straight to the socket when the server is uvicorn's websockets-sansio protocol.

Why: a broadcast is 1,000 deliveries run in one loop turn, so the cost of one delivery sets how
late the last receiver hears it. Through the ASGI `send` coroutine a delivery also pays for the
message dict, stepping the coroutine and framing per socket — about a third of it on top of the
socket write (py-spy, docs/benchmarks/realtime.md). Server frames are unmasked, so a message framed
once is the same bytes for every receiver: this frames each message once and writes those bytes to
each transport.

Used only where it is exactly what uvicorn's `send` would do: `send` is bound to uvicorn's
`WebSocketsSansIOProtocol` (checked by its attributes, as it is not public API), no extension was
negotiated (supadesk turns permessage-deflate off), the handshake is done, no close was sent, the
connection is open and the transport is not paused. Anything else returns False and the frame
takes the ASGI path. `tests/realtime/test_rt_direct_send.py` checks that the fast path is taken
with the pinned uvicorn, so an upgrade that changes these internals is noticed.
"""

from __future__ import annotations

from typing import Any

from websockets.frames import Frame, Opcode
from websockets.protocol import State


class DirectWriter:
    __slots__ = ("_protocol",)

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol

    def try_write(self, frame: str | bytes) -> bool:
        """Write `frame` now if the socket is in the state uvicorn's send requires; else False."""
        protocol = self._protocol
        if (
            protocol.disconnected
            or protocol.close_sent
            or not protocol.handshake_complete
            or protocol.initial_response is not None
            or not protocol.writable.is_set()
            or protocol.conn.state is not State.OPEN
            or protocol.conn.extensions
            or protocol.transport.is_closing()
        ):
            return False
        try:
            protocol.transport.write(_framed(frame))
        except (RuntimeError, OSError):  # the socket went away: the ASGI path reports it
            return False
        return True


def direct_writer(send: Any) -> DirectWriter | None:
    """A DirectWriter when `send` is uvicorn's sansio websocket send, else None."""
    protocol = getattr(send, "__self__", None)
    if type(protocol).__name__ != "WebSocketsSansIOProtocol":
        return None
    if not all(
        hasattr(protocol, name)
        for name in ("transport", "conn", "writable", "disconnected", "close_sent", "handshake_complete")
    ) or not hasattr(protocol, "initial_response"):
        return None
    return DirectWriter(protocol)


# The hub hands the same frame object to every member of a topic in turn: remember the last one.
_last: tuple[str | bytes, bytes] | None = None


def _framed(frame: str | bytes) -> bytes:
    global _last
    last = _last
    if last is not None and last[0] is frame:
        return last[1]
    if isinstance(frame, str):
        data = Frame(Opcode.TEXT, frame.encode()).serialize(mask=False)
    else:
        data = Frame(Opcode.BINARY, frame).serialize(mask=False)
    _last = (frame, data)
    return data
