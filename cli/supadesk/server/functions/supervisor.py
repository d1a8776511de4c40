"""The supervised Deno process that hosts every function (runtime/main.ts).

One process for all functions, chosen over one per function: a single warm isolate answers in
about a millisecond with no cold start per function, shares the npm cache and memory, and needs
one supervisor. The cost — functions share a process, so a crash takes all of them down until the
restart — is what the supervisor is for: if Deno exits it is restarted with exponential backoff
(0.25 s doubling to 10 s, reset after 30 s of uptime). Deno exits by itself when the server dies
(its stdin, a pipe from us, reaches EOF), so no orphan survives a killed server. When a file under
`supabase/functions` (or config.toml) changes, the runtime is restarted at once so the next request
runs the new code, as `supabase functions serve` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from supadesk.server.functions.logs import FunctionLog

log = logging.getLogger("supadesk.functions")

MAIN_TS = Path(__file__).parent / "runtime" / "main.ts"
BACKOFF_START_S = 0.25
BACKOFF_MAX_S = 10.0
STABLE_AFTER_S = 30.0
STOP_GRACE_S = 3.0
MAX_MESSAGE = 64 * 1024


@dataclass
class RuntimeConfig:
    deno: str
    env: Callable[[], dict[str, str]]
    cwd: Path
    allow_read: list[Path]
    allow_write: list[Path]
    config_file: Path | None
    preload: Callable[[], dict[str, str]] = field(default=dict)
    watch: list[Path] = field(default_factory=list)
    watch_interval_s: float = 1.0

    def command(self) -> list[str]:
        args = [self.deno, "run", "--no-lock", "--no-prompt", "--allow-net", "--allow-env", "--allow-sys"]
        args.append("--allow-read=" + ",".join(str(p) for p in self.allow_read))
        args.append("--allow-write=" + ",".join(str(p) for p in self.allow_write))
        args += ["--config", str(self.config_file)] if self.config_file else ["--no-config"]
        return [*args, str(MAIN_TS)]


class DenoSupervisor:
    def __init__(self, config: RuntimeConfig, sink: FunctionLog) -> None:
        self.config = config
        self.sink = sink
        self.port: int | None = None
        self.pid: int | None = None
        self.restarts = 0
        self._ready = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._reloading = False
        self.spawn_error: str | None = None  # set while Deno cannot even be started

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="functions-runtime")
        if self.config.watch:
            self._watcher = asyncio.create_task(self._watch(), name="functions-watch")

    async def wait_ready(self, limit_s: float) -> int | None:
        """The runtime's port once it listens, or None after `limit_s` seconds."""
        if self._ready.is_set() and self.port is not None:
            return self.port
        if self.spawn_error is not None:
            return None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), limit_s)
        return self.port if self._ready.is_set() else None

    def mark_unreachable(self, port: int) -> None:
        """A connection to `port` was refused: the process is (being) replaced; wait for the next one."""
        if self.port == port:
            self._ready.clear()

    async def stop(self) -> None:
        self._stopping = True
        for task in (self._watcher,):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._end_process()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def reload(self) -> None:
        """Replace the running process now (new code, new secrets), without backoff."""
        self._reloading = True
        self._ready.clear()
        await self._end_process()

    async def _end_process(self) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        if process.stdin is not None:
            process.stdin.close()  # main.ts exits on stdin EOF
        try:
            await asyncio.wait_for(process.wait(), STOP_GRACE_S)
        except TimeoutError:
            process.kill()
            await process.wait()

    async def _watch(self) -> None:
        stamp = _tree_stamp(self.config.watch)
        while True:
            await asyncio.sleep(self.config.watch_interval_s)
            current = await asyncio.to_thread(_tree_stamp, self.config.watch)
            if current != stamp:
                stamp = current
                self.sink.write(None, "info", "function files changed; restarting the runtime")
                await self.reload()

    async def _run(self) -> None:
        backoff = BACKOFF_START_S
        while not self._stopping:
            started = time.monotonic()
            try:
                code = await self._run_once()
            except (OSError, ValueError) as exc:
                code = None
                self.spawn_error = f"cannot start Deno ({self.config.deno}): {exc}"
                self.sink.write(None, "error", self.spawn_error)
            self._ready.clear()
            self.port = None
            if self._stopping:
                return
            if self._reloading:
                self._reloading = False
                continue
            if time.monotonic() - started > STABLE_AFTER_S:
                backoff = BACKOFF_START_S
            self.restarts += 1
            self.sink.write(None, "warn", f"functions runtime exited (code {code}); restarting in {backoff:.2f}s")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX_S)

    async def _run_once(self) -> int:
        env = {**self.config.env(), "SUPADESK_FUNCTIONS_PRELOAD": json.dumps(self.config.preload())}
        process = await asyncio.create_subprocess_exec(
            *self.config.command(),
            cwd=self.config.cwd,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=4 * 1024 * 1024,
        )
        self._process = process
        self.pid = process.pid
        self.spawn_error = None
        assert process.stdout is not None and process.stderr is not None
        stderr = asyncio.create_task(self._pump_stderr(process.stderr))
        try:
            await self._pump_stdout(process.stdout)
        finally:
            code = await process.wait()
            await stderr
        return code

    async def _pump_stdout(self, stream: asyncio.StreamReader) -> None:
        while True:
            try:
                raw = await stream.readline()
            except ValueError:  # a line over the limit: skip it
                continue
            if not raw:
                return
            self._on_stdout(raw.decode("utf-8", "replace").rstrip("\n"))

    def _on_stdout(self, line: str) -> None:
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            self.sink.write(None, "info", line[:MAX_MESSAGE])
        elif record.get("t") == "ready" and isinstance(record.get("port"), int):
            self.port = record["port"]
            self._ready.set()
            self.sink.write(None, "info", f"functions runtime ready (pid {self.pid})")
        elif record.get("t") == "log":
            fn = record.get("fn") if isinstance(record.get("fn"), str) else None
            self.sink.write(fn, str(record.get("level", "info")), str(record.get("msg", ""))[:MAX_MESSAGE])

    async def _pump_stderr(self, stream: asyncio.StreamReader) -> None:
        while True:
            try:
                raw = await stream.readline()
            except ValueError:
                continue
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                level = "debug" if line.startswith(("Download ", "Initialize ")) else "warn"
                self.sink.write(None, level, line[:MAX_MESSAGE])


def _tree_stamp(roots: list[Path]) -> tuple[tuple[str, float, int], ...]:
    """(path, mtime, size) of every file under `roots` (a change in any means: reload)."""
    entries: list[tuple[str, float, int]] = []
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in paths:
            if "node_modules" in path.parts or not path.is_file():
                continue
            try:
                info = path.stat()
            except OSError:
                continue
            entries.append((str(path), info.st_mtime, info.st_size))
    return tuple(entries)
