"""Request headers that shape the response: `Prefer`, `Accept`, `Range`, the schema profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from supadesk.server.rest import errors

ReturnPref = Literal["minimal", "representation", "headers-only"]
CountPref = Literal["exact", "planned", "estimated"]
MediaKind = Literal["array", "object"]

_KNOWN = {
    "return": ("minimal", "representation", "headers-only"),
    "count": ("exact", "planned", "estimated"),
    "resolution": ("merge-duplicates", "ignore-duplicates"),
    "missing": ("default", "null"),
    "tx": ("commit", "rollback"),
    "handling": ("strict", "lenient"),
}


@dataclass(frozen=True)
class Preferences:
    return_: ReturnPref | None = None
    count: CountPref | None = None
    resolution: str | None = None
    missing_default: bool = False
    rollback: bool = False
    max_affected: int | None = None
    applied: tuple[str, ...] = ()


def parse_prefer(header: str) -> Preferences:
    """Comma-separated `key=value` items; unknown ones are ignored unless `handling=strict`."""
    values: dict[str, str] = {}
    applied: list[str] = []
    invalid: list[str] = []
    for raw in header.split(","):
        item = raw.strip()
        if not item:
            continue
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key == "max-affected" and value.isdigit():
            values[key] = value
        elif value in _KNOWN.get(key, ()):
            values[key] = value
        else:
            invalid.append(item)
            continue
        applied.append(f"{key}={value}")
    if values.get("handling") == "strict" and invalid:
        raise errors.strict_preferences(invalid)
    return Preferences(
        return_=cast("ReturnPref | None", values.get("return")),
        count=cast("CountPref | None", values.get("count")),
        resolution=values.get("resolution"),
        missing_default=values.get("missing") == "default",
        rollback=values.get("tx") == "rollback",
        max_affected=int(values["max-affected"]) if "max-affected" in values and values.get("handling") == "strict"
        else None,
        applied=tuple(applied),
    )


@dataclass(frozen=True)
class Media:
    kind: MediaKind
    strip_nulls: bool = False

    @property
    def content_type(self) -> bytes:
        if self.kind == "object":
            return b"application/vnd.pgrst.object+json; charset=utf-8"
        return b"application/json; charset=utf-8"


ARRAY = Media("array")


def negotiate(accept: str | None) -> Media:
    """The first acceptable media type of `Accept` (JSON array by default)."""
    if not accept:
        return ARRAY
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        strip = "nulls=stripped" in params
        media = media.lower()
        if media in (
            "application/json",
            "*/*",
            "application/*",
            "application/vnd.pgrst.array+json",
            "application/vnd.pgrst.array",
        ):
            return Media("array", strip)
        if media in ("application/vnd.pgrst.object+json", "application/vnd.pgrst.object"):
            return Media("object", strip)
    raise errors.unacceptable_media(accept)


def parse_range(header: str | None) -> tuple[int, int | None] | None:
    """`Range: 0-9` (items) → (offset, limit); `5-` → (5, None)."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if not spec:
        spec, unit = unit, "items"
    first, sep, last = spec.strip().partition("-")
    if unit.strip().lower() != "items" or not sep or not first.isdigit() or (last and not last.isdigit()):
        raise errors.invalid_range(f"Invalid Range header: {header}")
    start = int(first)
    if not last:
        return start, None
    end = int(last)
    if end < start:
        raise errors.invalid_range(f"The range {header} ends before it starts")
    return start, end - start + 1


def check_profile(headers: dict[str, str], method: str, exposed: tuple[str, ...]) -> None:
    """Accept-Profile (reads) / Content-Profile (writes) must name an exposed schema."""
    name = "accept-profile" if method in ("GET", "HEAD") else "content-profile"
    schema = headers.get(name)
    if schema is not None and schema.strip() not in exposed:
        raise errors.unacceptable_schema(schema.strip(), exposed)
