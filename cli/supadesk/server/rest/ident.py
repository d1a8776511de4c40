"""The one identifier-quoting helper. Every table, column, alias and type the REST surface puts
into SQL text goes through here after being found in the schema cache (aliases are quoted too)."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    if "\x00" in name:
        raise ValueError("identifiers cannot contain NUL")
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    return quote_ident(schema) + "." + quote_ident(name)
