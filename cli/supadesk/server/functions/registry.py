"""Which edge functions exist and how each is configured.

A function is a directory `supabase/functions/<name>/` (name matching the CLI's slug pattern, so
`_shared` never is one) holding its entrypoint: `[functions.<name>] entrypoint` in config.toml, else
`index.ts` (or .js/.mjs/.jsx/.tsx). `verify_jwt` defaults to true and `enabled = false` hides a
function, as with the Supabase CLI. Re-read when config.toml or the directory changes.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("supadesk.functions")

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
ENTRYPOINTS = ("index.ts", "index.js", "index.mjs", "index.tsx", "index.jsx")


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    entrypoint: Path
    verify_jwt: bool


class Registry:
    def __init__(self, supabase_dir: Path, functions_dir: Path) -> None:
        self.supabase_dir = supabase_dir
        self.functions_dir = functions_dir
        self._stamp: tuple[float, ...] | None = None
        self._specs: dict[str, FunctionSpec] = {}

    def _current_stamp(self) -> tuple[float, ...]:
        stamps: list[float] = []
        for path in (self.supabase_dir / "config.toml", self.functions_dir):
            try:
                stamps.append(path.stat().st_mtime)
            except OSError:
                stamps.append(0.0)
        return tuple(stamps)

    def all(self) -> dict[str, FunctionSpec]:
        stamp = self._current_stamp()
        if stamp != self._stamp:
            self._specs = discover(self.supabase_dir, self.functions_dir)
            self._stamp = stamp
        return self._specs

    def get(self, name: str) -> FunctionSpec | None:
        if not NAME.match(name):
            return None
        spec = self.all().get(name)
        if spec is not None and spec.entrypoint.is_file():
            return spec
        if spec is None and not (self.functions_dir / name).is_dir():
            return None
        # A function added while the server runs (the directory mtime may not have changed yet).
        found = discover(self.supabase_dir, self.functions_dir).get(name)
        if found is not None:
            self._specs[name] = found
        return found


def _config(supabase_dir: Path) -> dict[str, dict[str, object]]:
    try:
        with open(supabase_dir / "config.toml", "rb") as fh:
            functions = tomllib.load(fh).get("functions", {})
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("cannot read %s: %s", supabase_dir / "config.toml", exc)
        return {}
    return {k: v for k, v in functions.items() if isinstance(v, dict)}


def _entrypoint(supabase_dir: Path, directory: Path, configured: object) -> Path | None:
    if isinstance(configured, str) and configured:
        path = (supabase_dir / configured).resolve()
        return path if path.is_file() else None
    for candidate in ENTRYPOINTS:
        if (directory / candidate).is_file():
            return (directory / candidate).resolve()
    return None


def discover(supabase_dir: Path, functions_dir: Path) -> dict[str, FunctionSpec]:
    config = _config(supabase_dir)
    specs: dict[str, FunctionSpec] = {}
    try:
        directories = sorted(p for p in functions_dir.iterdir() if p.is_dir() and NAME.match(p.name))
    except OSError:
        directories = []
    names = {d.name: d for d in directories}
    for name in sorted(set(names) | {n for n in config if NAME.match(n)}):
        settings = config.get(name, {})
        if settings.get("enabled") is False:
            continue
        entrypoint = _entrypoint(supabase_dir, names.get(name, functions_dir / name), settings.get("entrypoint"))
        if entrypoint is None:
            continue
        specs[name] = FunctionSpec(name, entrypoint, settings.get("verify_jwt") is not False)
    return specs
