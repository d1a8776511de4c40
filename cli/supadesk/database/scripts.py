"""Versioned SQL files on disk: `NNNN_name.sql` (platform) and `<digits>_<name>.sql` (migrations)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_FILE = re.compile(r"^([0-9]+)_(.*)\.sql$")


@dataclass(frozen=True)
class SqlScript:
    version: str
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text()

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def list_scripts(directory: Path) -> list[SqlScript]:
    """The directory's scripts in version order (the pattern the Supabase CLI uses)."""
    if not directory.is_dir():
        return []
    scripts = []
    for path in directory.iterdir():
        match = _FILE.match(path.name)
        if match and path.is_file():
            scripts.append(SqlScript(match.group(1), match.group(2), path))
    return sorted(scripts, key=lambda s: (int(s.version), s.version))
