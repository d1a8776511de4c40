"""Relationships from foreign keys, and finding the one an embed means (`name`, `!hint`)."""

from __future__ import annotations

from typing import Any

from supadesk.server.rest import errors
from supadesk.server.rest.schema.model import Cardinality, Relationship, SchemaCache, Table

_CARDINALITY_WORDS = {"m2o": "many-to-one", "o2m": "one-to-many", "o2o": "one-to-one"}


def build_relationships(tables: dict[str, Table], foreign_keys: list[dict[str, Any]]) -> dict[str, list[Relationship]]:
    """Each FK gives table→target (m2o, or o2o when its columns are unique) and the inverse."""
    out: dict[str, list[Relationship]] = {}
    for fk in foreign_keys:
        source, target = fk["table_name"], fk["target"]
        if source not in tables or target not in tables:
            continue
        pairs = tuple(zip(fk["columns"], fk["target_columns"], strict=True))
        unique = set(fk["columns"]) in [set(key) for key in tables[source].unique_keys]
        forward: Cardinality = "o2o" if unique else "m2o"
        backward: Cardinality = "o2o" if unique else "o2m"
        out.setdefault(source, []).append(Relationship(source, target, fk["name"], pairs, forward))
        inverse = tuple((t, s) for s, t in pairs)
        out.setdefault(target, []).append(Relationship(target, source, fk["name"], inverse, backward))
    return out


def _matches_name(rel: Relationship, name: str) -> bool:
    """The embed names the target table, the FK constraint, or (to-one) the FK column itself."""
    if rel.target == name or rel.constraint == name:
        return True
    return rel.cardinality != "o2m" and len(rel.columns) == 1 and rel.columns[0][0] == name


def _matches_hint(rel: Relationship, hint: str) -> bool:
    if rel.constraint == hint or rel.target == hint:
        return True
    return any(hint in pair for pair in rel.columns)


def find_relationship(cache: SchemaCache, source: str, name: str, hint: str | None) -> Relationship:
    candidates = [rel for rel in cache.relationships_of(source) if _matches_name(rel, name)]
    if hint is not None:
        candidates = [rel for rel in candidates if _matches_hint(rel, hint)]
    if not candidates:
        raise errors.no_relationship(source, name, cache.schema)
    if len(candidates) > 1:
        details = [
            {
                "cardinality": _CARDINALITY_WORDS[rel.cardinality],
                "embedding": f"{source} with {rel.target}",
                "relationship": f"{rel.constraint} using {source}({', '.join(p[0] for p in rel.columns)}) "
                f"and {rel.target}({', '.join(p[1] for p in rel.columns)})",
            }
            for rel in candidates
        ]
        names = [f"{name}!{rel.constraint}" for rel in candidates]
        raise errors.ambiguous_relationship(source, name, details, names)
    return candidates[0]
