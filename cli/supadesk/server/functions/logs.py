"""Function log lines: one JSON object per line in `<data_dir>/functions.log`
(`{"ts", "function", "level", "message"}`), rotated to `functions.log.1` past 10 MiB, and mirrored
into the server log tagged with the function's name. `supadesk functions logs` reads them back."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("supadesk.functions")

MAX_BYTES = 10 * 1024 * 1024
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}


def log_path(data_dir: Path) -> Path:
    return data_dir / "functions.log"


@dataclass(frozen=True)
class LogRecord:
    ts: str
    function: str | None
    level: str
    message: str

    def render(self) -> str:
        return f"{self.ts} {self.level.upper():5} [{self.function or 'runtime'}] {self.message}"


class FunctionLog:
    """Appends records (the server is the only writer) and echoes them to the server log."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, function: str | None, level: str, message: str) -> None:
        level = level if level in _LEVELS else "info"
        log.log(_LEVELS[level], "[%s] %s", function or "runtime", message)
        record = {"ts": _now(), "function": function, "level": level, "message": message}
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        try:
            if self.path.exists() and self.path.stat().st_size + len(line) > self.max_bytes:
                os.replace(self.path, self.path.with_name(self.path.name + ".1"))
            with open(self.path, "ab") as fh:
                fh.write(line)
        except OSError as exc:
            log.warning("cannot write %s: %s", self.path, exc)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse(line: str) -> LogRecord | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return LogRecord(
        str(value.get("ts", "")),
        value.get("function") if isinstance(value.get("function"), str) else None,
        str(value.get("level", "info")),
        str(value.get("message", "")),
    )


def _records(path: Path) -> Iterator[LogRecord]:
    for candidate in (path.with_name(path.name + ".1"), path):
        try:
            with open(candidate, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    record = _parse(line)
                    if record is not None:
                        yield record
        except FileNotFoundError:
            continue


def tail(path: Path, function: str | None = None, lines: int = 100) -> list[LogRecord]:
    """The last `lines` records, optionally only those of one function."""
    selected = (r for r in _records(path) if function is None or r.function == function)
    return list(deque(selected, maxlen=lines))


def follow(path: Path, function: str | None = None, poll_s: float = 0.5) -> Iterator[LogRecord]:
    """Records appended from now on (survives rotation)."""
    position = path.stat().st_size if path.exists() else 0
    while True:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size < position:
            position = 0  # rotated
        if size > position:
            with open(path, "rb") as fh:
                fh.seek(position)
                chunk = fh.read(size - position)
            complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits
            position += len(complete)
            for line in complete.decode("utf-8", "replace").splitlines():
                record = _parse(line)
                if record is not None and (function is None or record.function == function):
                    yield record
        time.sleep(poll_s)
