"""Pure parsers for PostgREST's query-string grammar: `select`, field names with JSON paths,
`order`, quoted lists. Every failure is a PGRST100 with the offending text in `details`."""

from __future__ import annotations

from supadesk.server.rest import errors
from supadesk.server.rest.syntax import (
    Arrow,
    Direction,
    FieldRef,
    JoinType,
    JsonStep,
    Nulls,
    OrderTerm,
    SelectEmbed,
    SelectField,
    SelectItem,
    SelectStar,
)

_NAME_CHARS = frozenset("_$ ")  # besides letters and digits, as PostgREST's field names
MAX_DEPTH = 16
MAX_INT = 2**63 - 1
_CAST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ []")


class Cursor:
    """A position in a string with the few primitives the grammars need."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.pos = 0
        self.what = what
        self.depth = 0

    def descend(self) -> None:
        """Enter one level of nesting (embeds, logic trees); deep nesting is refused, not recursed."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise errors.parse_error(f'"failed to parse {self.what}"', f"nesting deeper than {MAX_DEPTH} levels")

    def fail(self, expected: str) -> errors.ApiError:
        near = self.text[self.pos : self.pos + 20] or "end of input"
        return errors.parse_error(
            f'"failed to parse {self.what} ({self.text})"', f"unexpected '{near}' expecting {expected}"
        )

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def accept(self, token: str) -> bool:
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.accept(token):
            raise self.fail(f'"{token}"')

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t", "\n"):
            self.pos += 1

    def quoted(self) -> str:
        """A double-quoted string with backslash escapes; the cursor is on the opening quote."""
        self.expect('"')
        out: list[str] = []
        while not self.at_end():
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\" and not self.at_end():
                out.append(self.text[self.pos])
                self.pos += 1
            elif char == '"':
                return "".join(out)
            else:
                out.append(char)
        raise self.fail('closing "')

    def name(self, expected: str = "field name") -> str:
        """A quoted identifier or a run of name characters (a dash is allowed unless it starts `->`)."""
        self.skip_spaces()
        if self.peek() == '"':
            return self.quoted()
        start = self.pos
        while not self.at_end():
            char = self.text[self.pos]
            if char == "-" and self.peek(2) != "->":
                self.pos += 1
            elif char.isalnum() or char in _NAME_CHARS:
                self.pos += 1
            else:
                break
        value = self.text[start : self.pos].strip()
        if not value:
            raise self.fail(expected)
        return value


# -- fields ------------------------------------------------------------------------------------


def parse_field(cur: Cursor) -> FieldRef:
    name = cur.name()
    steps: list[JsonStep] = []
    while cur.peek(2) == "->":
        arrow: Arrow = "->>" if cur.peek(3) == "->>" else "->"
        cur.expect(arrow)
        key = cur.name("JSON key")
        digits = key[1:] if key.startswith("-") else key
        index = int(key) if digits.isdigit() and len(digits) <= 9 else None  # an int4 array index
        steps.append(JsonStep(arrow, key, index))
    return FieldRef(name, tuple(steps))


def parse_field_text(text: str) -> FieldRef:
    cur = Cursor(text, "field")
    ref = parse_field(cur)
    cur.skip_spaces()
    if not cur.at_end():
        raise cur.fail("end of field")
    return ref


# -- select ------------------------------------------------------------------------------------


def parse_select(text: str) -> tuple[SelectItem, ...]:
    cur = Cursor(text, "select")
    if not text.strip():
        return (SelectStar(),)
    items = _select_list(cur, nested=False)
    if not cur.at_end():
        raise cur.fail('"," or end of select')
    return items


def _select_list(cur: Cursor, nested: bool) -> tuple[SelectItem, ...]:
    items: list[SelectItem] = []
    cur.skip_spaces()
    if nested and cur.peek() == ")":
        return ()
    while True:
        items.append(_select_item(cur))
        cur.skip_spaces()
        if not cur.accept(","):
            return tuple(items)


def _select_item(cur: Cursor) -> SelectItem:
    cur.skip_spaces()
    if cur.accept("*"):
        return SelectStar()
    if cur.peek(3) == "...":
        raise errors.parse_error("Spread embeds (...) are not supported by supadesk", cur.text)
    alias: str | None = None
    start = cur.pos
    first = cur.name()
    if cur.peek() == ":" and cur.peek(2) != "::":
        cur.expect(":")
        alias = first
    else:
        cur.pos = start
    if _embed_follows(cur):
        return _embed(cur, alias)
    field = parse_field(cur)
    cast = _cast(cur)
    return SelectField(field, alias, cast)


def _embed_follows(cur: Cursor) -> bool:
    save = cur.pos
    try:
        cur.name()
        return cur.peek() in ("(", "!")
    except errors.ApiError:
        return False
    finally:
        cur.pos = save


def _embed(cur: Cursor, alias: str | None) -> SelectEmbed:
    name = cur.name("embedded resource")
    hint: str | None = None
    join: JoinType | None = None
    while cur.accept("!"):
        part = cur.name("hint or join type")
        if part in ("inner", "left"):
            join = "inner" if part == "inner" else "left"
        elif hint is None:
            hint = part
        else:
            raise cur.fail('"(" after the hint')
    cur.expect("(")
    cur.descend()
    children = _select_list(cur, nested=True)
    cur.depth -= 1
    cur.skip_spaces()
    cur.expect(")")
    return SelectEmbed(name, children or (SelectStar(),), alias, hint, join)


def _cast(cur: Cursor) -> str | None:
    if not cur.accept("::"):
        return None
    start = cur.pos
    while not cur.at_end() and cur.text[cur.pos] in _CAST_CHARS:
        cur.pos += 1
    cast = cur.text[start : cur.pos].strip()
    if not cast:
        raise cur.fail("cast type")
    return cast


# -- order -------------------------------------------------------------------------------------


def parse_order(text: str) -> tuple[OrderTerm, ...]:
    cur = Cursor(text, "order")
    terms: list[OrderTerm] = []
    while True:
        terms.append(_order_term(cur))
        cur.skip_spaces()
        if cur.at_end():
            return tuple(terms)
        cur.expect(",")


def _order_term(cur: Cursor) -> OrderTerm:
    field = parse_field(cur)
    if cur.peek() == "(":
        raise errors.parse_error("Ordering by embedded resources is not supported by supadesk", cur.text)
    direction: Direction | None = None
    nulls: Nulls | None = None
    while cur.accept("."):
        word = cur.name("asc, desc, nullsfirst or nullslast")
        if word in ("asc", "desc") and direction is None and nulls is None:
            direction = "asc" if word == "asc" else "desc"
        elif word in ("nullsfirst", "nullslast") and nulls is None:
            nulls = "first" if word == "nullsfirst" else "last"
        else:
            raise cur.fail("asc, desc, nullsfirst or nullslast")
    return OrderTerm(field, direction, nulls)


# -- lists -------------------------------------------------------------------------------------


def parse_name_list(text: str, what: str) -> tuple[str, ...]:
    """`a,b` or `"a","b"` (the `columns` and `on_conflict` parameters)."""
    cur = Cursor(text, what)
    names: list[str] = []
    while True:
        names.append(cur.name("column name"))
        cur.skip_spaces()
        if cur.at_end():
            return tuple(names)
        cur.expect(",")


def parse_int(text: str, what: str) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) > MAX_INT:
        raise errors.parse_error(f'"failed to parse {what} ({text})"', f"{what} must be a non-negative integer")
    return int(value)
