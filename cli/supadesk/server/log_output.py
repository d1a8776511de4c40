"""Where `supadesk start` writes its log: stderr, in batches, so a request's log line is not a syscall.

Python's stderr is line-buffered, so the stock handler pays a write (and a flush) for every record;
with one access line per request that was ~90 µs of a ~240 µs request here (docs/benchmarks/rest.md).
This handler writes into a 64 KiB buffer instead. Nothing waits long: WARNING and above are flushed
at once (errors are never delayed), and a daemon thread flushes the rest every 0.2 s, so a quiet
server's lines still appear as they happen. `logging.shutdown` (at exit) flushes what is left.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
FLUSH_EVERY_S = 0.2


class BatchedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A StreamHandler that flushes on warnings and on a timer instead of after every record."""

    def __init__(self, stream: TextIO, interval_s: float = FLUSH_EVERY_S) -> None:
        super().__init__(stream)
        self._stop = threading.Event()
        self._timer = threading.Thread(target=self._flush_periodically, args=(interval_s,), daemon=True)
        self._timer.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.stream.write(self.format(record) + self.terminator)
            if record.levelno >= logging.WARNING:
                self.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def _flush_periodically(self, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            self.flush()

    def close(self) -> None:
        self._stop.set()
        self.flush()
        super().close()


def configure(level: str | None = None) -> None:
    """Route every logger through one batched stderr handler (`SUPADESK_LOG_LEVEL`, default INFO)."""
    # Lives as long as the process; closefd=False leaves stderr itself open.
    stream = open(
        sys.stderr.fileno(), "w", buffering=64 * 1024, encoding="utf-8", errors="backslashreplace", closefd=False
    )
    # The logging HOWTO's optimizations: no caller lookup (a stack walk per record), no thread and
    # process names — the format uses none of them.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = BatchedStreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.basicConfig(
        level=(level or os.environ.get("SUPADESK_LOG_LEVEL", "INFO")).upper(), handlers=[handler], force=True
    )
