"""Object bytes on local disk, under `<data_dir>/storage/`.

Layout: `objects/<vv>/<version>` where `version` is a random UUID recorded in the object's row —
never the object key, so no key can name a path on disk. Uploads stream into `tmp/<uuid>.part`
(same filesystem), are fsynced, then renamed into place while the row pointing at them is written;
a replaced version's file is removed after its row is committed, so a row never points at a
half-written or missing file.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import uuid
from pathlib import Path

_VERSION = re.compile(r"^[0-9a-f]{32}$")


def new_version() -> str:
    return uuid.uuid4().hex


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "objects"
        self.tmp = root / "tmp"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, version: str | None) -> Path | None:
        """Where a version's bytes live; None for versions this store never wrote."""
        if not version or not _VERSION.match(version):
            return None
        return self.objects / version[:2] / version

    def new_temp(self) -> TempFile:
        return TempFile(self, self.tmp / f"{uuid.uuid4().hex}.part")

    def remove(self, version: str | None) -> None:
        path = self.path_for(version)
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def copy(self, version: str | None) -> str | None:
        """A new version holding the same bytes (hard link when possible); None if the source is gone."""
        source = self.path_for(version)
        if source is None or not source.is_file():
            return None
        target_version = new_version()
        target = self.path_for(target_version)
        assert target is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            temp = self.tmp / f"{uuid.uuid4().hex}.part"
            with open(source, "rb") as src, open(temp, "wb") as dst:
                while chunk := src.read(1024 * 1024):
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(temp, target)
        return target_version


class TempFile:
    """An upload in progress: exclusive temp file, running size and MD5 (the object's ETag)."""

    def __init__(self, store: BlobStore, path: Path) -> None:
        self.store = store
        self.path = path
        self.size = 0
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)

    @property
    def etag(self) -> str:
        return f'"{self._md5.hexdigest()}"'

    def write(self, chunk: bytes) -> None:
        assert self._fd is not None
        view = memoryview(chunk)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self._md5.update(chunk)
        self.size += len(chunk)

    async def flush(self) -> None:
        """fsync the bytes (off the event loop) and close the file."""
        fd, self._fd = self._fd, None
        if fd is not None:
            await asyncio.to_thread(_fsync_close, fd)

    def commit(self, version: str) -> Path:
        """Rename into place under `version` (atomic on one filesystem)."""
        target = self.store.path_for(version)
        assert target is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, target)
        return target

    def discard(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _fsync_close(fd: int) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
