"""Bound parameters: where each `$n` comes from, and binding them for one request.

A compiled statement is cached per query-string shape, so a parameter is either a constant of the
shape (`ConstParam`), the value of a slot (`SlotParam`, the request's own filter value) or the
request body (`BodyParam`). Values never enter SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConstParam:
    value: object


@dataclass(frozen=True)
class SlotParam:
    index: int
    like: bool = False  # PostgREST's `*` wildcard: `like.*foo*` means `like '%foo%'`


@dataclass(frozen=True)
class BodyParam:
    pass


ParamSource = ConstParam | SlotParam | BodyParam


def like_pattern(value: str) -> str:
    return value.replace("*", "%")


class SqlParams:
    """Collects parameter sources while SQL is rendered; `add_*` return the `$n` placeholder."""

    def __init__(self) -> None:
        self.sources: list[ParamSource] = []

    def _add(self, source: ParamSource) -> str:
        self.sources.append(source)
        return f"${len(self.sources)}"

    def const(self, value: object) -> str:
        return self._add(ConstParam(value))

    def slot(self, index: int, like: bool = False) -> str:
        return self._add(SlotParam(index, like))

    def body(self) -> str:
        return self._add(BodyParam())


def bind(sources: tuple[ParamSource, ...], slots: list[str], body: str | None) -> list[object]:
    """The argument list for one execution."""
    args: list[object] = []
    for source in sources:
        if isinstance(source, ConstParam):
            args.append(source.value)
        elif isinstance(source, SlotParam):
            value = slots[source.index]
            args.append(like_pattern(value) if source.like else value)
        else:
            args.append(body)
    return args
