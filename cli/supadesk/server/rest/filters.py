"""Pure parsers for filters: `col=[not.]op.value`, `or=(...)`/`and=(...)` logic trees, and the
filter key itself (`messages.content` → embed path `("messages",)` + field `content`)."""

from __future__ import annotations

from supadesk.server.rest import errors
from supadesk.server.rest.grammar import Cursor, parse_field
from supadesk.server.rest.syntax import (
    Condition,
    EmbedPath,
    FieldRef,
    Filter,
    FtsValue,
    ListValue,
    Literal,
    LogicTree,
    Operation,
    Slot,
    Value,
)

SIMPLE_OPERATORS = frozenset(
    {
        "eq",
        "neq",
        "gt",
        "gte",
        "lt",
        "lte",
        "like",
        "ilike",
        "match",
        "imatch",
        "cs",
        "cd",
        "ov",
        "sl",
        "sr",
        "nxl",
        "nxr",
        "adj",
        "isdistinct",
    }
)
QUANTIFIABLE = frozenset({"eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch"})
FTS_OPERATORS = frozenset({"fts", "plfts", "phfts", "wfts"})
IS_VALUES = frozenset({"null", "not_null", "true", "false", "unknown"})


def parse_filter_key(key: str) -> tuple[EmbedPath, FieldRef]:
    """`a.b.col->x` → (("a", "b"), FieldRef("col", ->x))."""
    cur = Cursor(key, "filter")
    path: list[str] = []
    while True:
        start = cur.pos
        name = cur.name()
        if cur.accept("."):
            path.append(name)
            continue
        cur.pos = start
        field = parse_field(cur)
        if not cur.at_end():
            raise cur.fail("end of filter column")
        return tuple(path), field


def parse_node_key(key: str, leaf: str) -> tuple[EmbedPath, bool]:
    """`messages.not.or` with leaf "or" → (("messages",), negated=True)."""
    parts = key.split(".")
    assert parts[-1] == leaf
    parts = parts[:-1]
    negated = bool(parts) and parts[-1] == "not"
    if negated:
        parts = parts[:-1]
    return tuple(parts), negated


def operator_prefix(prefix: str) -> tuple[str, bool]:
    """The slotted prefix `not.eq.` → ("eq", True)."""
    negated = prefix.startswith("not.")
    op = prefix[4:-1] if negated else prefix[:-1]
    return op, negated


def slotted_operation(prefix: str, index: int) -> Operation:
    op, negated = operator_prefix(prefix)
    return Operation(op, Slot(index), negated)


def parse_operation(text: str) -> Operation:
    """A whole top-level filter value: the value runs to the end of the string."""
    cur = Cursor(text, "filter")
    operation = _operation(cur, in_tree=False)
    if not cur.at_end():
        raise cur.fail("end of filter")
    return operation


def _operation(cur: Cursor, in_tree: bool) -> Operation:
    negated = cur.accept("not.")
    op = _word(cur)
    modifier: str | None = None
    if cur.peek() == "(":
        cur.expect("(")
        modifier = _until(cur, ")")
        cur.expect(")")
    cur.expect(".")
    value = _value(cur, op, modifier, in_tree)
    if modifier in ("any", "all"):
        op = f"{op}_{modifier}"
    return Operation(op, value, negated)


def _word(cur: Cursor) -> str:
    start = cur.pos
    while not cur.at_end() and cur.text[cur.pos].isalpha():
        cur.pos += 1
    word = cur.text[start : cur.pos]
    if not word:
        raise cur.fail("operator")
    return word


def _until(cur: Cursor, stop: str) -> str:
    end = cur.text.find(stop, cur.pos)
    if end < 0:
        raise cur.fail(f'"{stop}"')
    value = cur.text[cur.pos : end]
    cur.pos = end
    return value


def _value(cur: Cursor, op: str, modifier: str | None, in_tree: bool) -> Value:
    if op == "in" and modifier is None:
        return ListValue(_list(cur, "(", ")"))
    if op in QUANTIFIABLE and modifier in ("any", "all"):
        return ListValue(_list(cur, "{", "}"))
    if op in FTS_OPERATORS:
        return FtsValue(_scalar(cur, in_tree), modifier)
    if modifier is not None:
        raise cur.fail(f"a value for operator {op}")
    if op == "is":
        word = _scalar(cur, in_tree).lower()
        if word not in IS_VALUES:
            raise errors.parse_error(
                f'"failed to parse filter (is.{word})"', "is accepts null, not_null, true, false or unknown"
            )
        return Literal(word)
    if op not in SIMPLE_OPERATORS:
        raise errors.parse_error(f'"failed to parse filter ({cur.text})"', f"unknown operator '{op}'")
    return Literal(_scalar(cur, in_tree))


def _scalar(cur: Cursor, in_tree: bool) -> str:
    if not in_tree:
        value = cur.text[cur.pos :]
        cur.pos = len(cur.text)
        return value
    if cur.peek() == '"':
        return cur.quoted()
    if cur.peek() == "{":
        start = cur.pos
        _until(cur, "}")
        cur.pos += 1
        return cur.text[start : cur.pos]
    start = cur.pos
    while not cur.at_end() and cur.text[cur.pos] not in ",)":
        cur.pos += 1
    return cur.text[start : cur.pos]


def _list(cur: Cursor, open_: str, close: str) -> tuple[str, ...]:
    cur.expect(open_)
    items: list[str] = []
    if cur.accept(close):
        return ()
    while True:
        if cur.peek() == '"':
            items.append(cur.quoted())
        else:
            start = cur.pos
            while not cur.at_end() and cur.text[cur.pos] not in "," + close:
                cur.pos += 1
            items.append(cur.text[start : cur.pos])
        if cur.accept(close):
            return tuple(items)
        cur.expect(",")


# -- logic trees -------------------------------------------------------------------------------


def parse_logic_tree(text: str, conjunction: str, negated: bool) -> LogicTree:
    """The value of `or=` / `and=`: `(cond,cond,...)`."""
    cur = Cursor(text, "logic tree")
    children = _tree_children(cur)
    if not cur.at_end():
        raise cur.fail("end of logic tree")
    return LogicTree("or" if conjunction == "or" else "and", children, negated)


def _tree_children(cur: Cursor) -> tuple[Condition, ...]:
    cur.expect("(")
    cur.descend()
    children: list[Condition] = []
    while True:
        children.append(_tree_condition(cur))
        if cur.accept(")"):
            cur.depth -= 1
            return tuple(children)
        cur.expect(",")


def _tree_condition(cur: Cursor) -> Condition:
    cur.skip_spaces()
    negated = False
    save = cur.pos
    if cur.accept("not."):
        negated = True
    for word in ("and", "or"):
        if cur.text.startswith(word + "(", cur.pos):
            cur.pos += len(word)
            return LogicTree("and" if word == "and" else "or", _tree_children(cur), negated)
    cur.pos = save
    field = parse_field(cur)
    cur.expect(".")
    return Filter(field, _operation(cur, in_tree=True))
