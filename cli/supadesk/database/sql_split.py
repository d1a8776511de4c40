"""Split a SQL script into statements, the way the Supabase CLI records them in
`supabase_migrations.schema_migrations.statements`.

Written here because no maintained, dependency-free library splits PostgreSQL with dollar quoting
correctly; it only needs to recognise quotes, dollar-quoted bodies, comments and semicolons.
"""

from __future__ import annotations

import re

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


def split_statements(script: str) -> list[str]:
    statements: list[str] = []
    start = i = 0
    n = len(script)
    while i < n:
        ch = script[i]
        if ch == "-" and script.startswith("--", i):
            end = script.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch == "/" and script.startswith("/*", i):
            end = script.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch in ("'", '"'):
            i = _skip_quoted(script, i, ch)
        elif ch == "$" and (m := _DOLLAR_TAG.match(script, i)):
            end = script.find(m.group(0), m.end())
            i = n if end < 0 else end + len(m.group(0))
        elif ch == ";":
            _append(statements, script[start:i])
            i += 1
            start = i
        else:
            i += 1
    _append(statements, script[start:])
    return statements


def _skip_quoted(script: str, i: int, quote: str) -> int:
    i += 1
    while i < len(script):
        if script[i] == quote:
            if script.startswith(quote * 2, i):
                i += 2
                continue
            return i + 1
        i += 1
    return i


def _append(statements: list[str], chunk: str) -> None:
    text = _strip_comments_only(chunk)
    if text:
        statements.append(chunk.strip())


def _strip_comments_only(chunk: str) -> str:
    """The chunk without leading comments/whitespace: empty if the chunk holds no statement."""
    lines = [ln for ln in chunk.strip().splitlines() if not ln.strip().startswith("--")]
    return "\n".join(lines).strip()
