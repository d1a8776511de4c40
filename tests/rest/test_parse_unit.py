"""The pure parse stage: query-string shapes, select/order/filter grammars, Prefer/Accept/Range."""

from __future__ import annotations

import pytest

from supadesk.server.rest import errors
from supadesk.server.rest.filters import parse_filter_key, parse_logic_tree, parse_operation
from supadesk.server.rest.grammar import parse_name_list, parse_order, parse_select
from supadesk.server.rest.params import parse_query
from supadesk.server.rest.preferences import negotiate, parse_prefer, parse_range
from supadesk.server.rest.querystring import shape_query, split_query
from supadesk.server.rest.syntax import (
    FieldRef,
    Filter,
    FtsValue,
    JsonStep,
    ListValue,
    Literal,
    LogicTree,
    Operation,
    OrderTerm,
    SelectEmbed,
    SelectField,
    SelectStar,
    Slot,
)


def test_shape_slots_simple_filter_values_and_keeps_everything_else() -> None:
    pairs = split_query("id=eq.42&select=*&status=in.(open,closed)&priority=not.eq.high&limit=5")
    shape, slots = shape_query(pairs)
    assert shape == (("id", "eq.", True), ("select", "*", False), ("status", "in.(open,closed)", False),
                     ("priority", "not.eq.", True), ("limit", "5", False))
    assert slots == ["42", "high"]


def test_two_requests_differing_only_in_values_share_a_shape() -> None:
    first, _ = shape_query(split_query("id=eq.1&content=like.*a*"))
    second, values = shape_query(split_query("id=eq.2&content=like.*b*"))
    assert first == second and values == ["2", "*b*"]


def test_reserved_keys_are_never_slotted() -> None:
    shape, slots = shape_query(split_query("or=(a.eq.1)&messages.order=created_at.desc&messages.limit=eq.5"))
    assert slots == [] and all(not entry[2] for entry in shape)


def test_split_query_decodes_plus_as_space_and_percent_escapes() -> None:
    assert split_query("subject=eq.hello+world&x=%2A") == [("subject", "eq.hello world"), ("x", "*")]


def test_split_query_rejects_nul() -> None:
    with pytest.raises(errors.ApiError) as caught:
        split_query("id=eq.%00")
    assert caught.value.code == "PGRST100"


def test_select_columns_aliases_casts_and_json_paths() -> None:
    items = parse_select('id,title:subject,number::text,data->a->>b,"odd col"')
    assert items == (
        SelectField(FieldRef("id")),
        SelectField(FieldRef("subject"), alias="title"),
        SelectField(FieldRef("number"), cast="text"),
        SelectField(FieldRef("data", (JsonStep("->", "a"), JsonStep("->>", "b")))),
        SelectField(FieldRef("odd col")),
    )
    assert items[3].output_name == "b"  # type: ignore[union-attr]


def test_select_json_array_index() -> None:
    (item,) = parse_select("data->0->>name")
    assert isinstance(item, SelectField) and item.field.json_path[0] == JsonStep("->", "0", 0)


def test_select_nested_embeds_with_hints_and_inner_join() -> None:
    items = parse_select("*,msgs:messages!inner(id,attachments(*)),assignee:users!tickets_assignee_id_fkey(email)")
    assert items[0] == SelectStar()
    msgs, assignee = items[1], items[2]
    assert msgs == SelectEmbed("messages", (SelectField(FieldRef("id")),
                                            SelectEmbed("attachments", (SelectStar(),))), "msgs", None, "inner")
    assert assignee == SelectEmbed("users", (SelectField(FieldRef("email")),), "assignee",
                                   "tickets_assignee_id_fkey", None)


def test_select_hint_and_join_type_in_either_order() -> None:
    (embed,) = parse_select("users!inner!assignee_id(*)")
    assert isinstance(embed, SelectEmbed) and embed.hint == "assignee_id" and embed.join == "inner"


def test_select_empty_embed_means_all_columns() -> None:
    assert parse_select("messages()") == (SelectEmbed("messages", (SelectStar(),)),)


@pytest.mark.parametrize("text", ["id,", "messages(id", "id::", "a:b:c", 'x"', "id;drop table tickets", "...m(*)"])
def test_select_parse_errors_are_pgrst100(text: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        parse_select(text)
    assert caught.value.code == "PGRST100" and caught.value.status == 400


def test_order_terms() -> None:
    assert parse_order("created_at.desc.nullslast,id,data->>k.asc") == (
        OrderTerm(FieldRef("created_at"), "desc", "last"),
        OrderTerm(FieldRef("id")),
        OrderTerm(FieldRef("data", (JsonStep("->>", "k"),)), "asc"),
    )


@pytest.mark.parametrize("text", ["id.up", "id.desc.desc", "id;delete", "id.asc,", "id)"])
def test_order_parse_errors(text: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        parse_order(text)
    assert caught.value.code == "PGRST100"


def test_operations() -> None:
    assert parse_operation("eq.a,b") == Operation("eq", Literal("a,b"))
    assert parse_operation("not.is.NULL") == Operation("is", Literal("null"), True)
    assert parse_operation('in.(1,"a,b",c)') == Operation("in", ListValue(("1", "a,b", "c")))
    assert parse_operation("in.()") == Operation("in", ListValue(()))
    assert parse_operation("fts(english).cat & dog") == Operation("fts", FtsValue("cat & dog", "english"))
    assert parse_operation("like(any).{a*,*b}") == Operation("like_any", ListValue(("a*", "*b")))
    assert parse_operation("cs.{a,b}") == Operation("cs", Literal("{a,b}"))


@pytest.mark.parametrize("text", ["eq", "nope.1", "is.maybe", "in.(1,2", "eq(x).1", "not.1"])
def test_operation_errors(text: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        parse_operation(text)
    assert caught.value.code == "PGRST100"


def test_filter_key_with_embed_path_and_json_path() -> None:
    assert parse_filter_key("messages.attachments.size_bytes") == (("messages", "attachments"),
                                                                   FieldRef("size_bytes"))
    assert parse_filter_key("data->>k") == ((), FieldRef("data", (JsonStep("->>", "k"),)))


def test_logic_tree_nested_with_quoted_values_and_lists() -> None:
    tree = parse_logic_tree('(status.eq.open,and(priority.in.(high,urgent),subject.not.like."a,b*"))', "or", True)
    assert tree == LogicTree("or", (
        Filter(FieldRef("status"), Operation("eq", Literal("open"))),
        LogicTree("and", (
            Filter(FieldRef("priority"), Operation("in", ListValue(("high", "urgent")))),
            Filter(FieldRef("subject"), Operation("like", Literal("a,b*"), True)),
        )),
    ), True)


@pytest.mark.parametrize("text", ["(a.eq.1", "a.eq.1", "(a.eq.1,)", "(and(a.eq.1)", "(a.zz.1)"])
def test_logic_tree_errors(text: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        parse_logic_tree(text, "or", False)
    assert caught.value.code == "PGRST100"


def test_parse_query_builds_node_modifiers_with_slots() -> None:
    shape, _ = shape_query(split_query(
        "select=*,messages(*)&id=eq.7&messages.order=created_at.desc&messages.limit=5&messages.or=(a.eq.1)"
        "&order=number.desc&offset=10&columns=\"a\",\"b\"&on_conflict=id"))
    params = parse_query(shape)
    root, messages = params.modifiers[()], params.modifiers[("messages",)]
    assert root.conditions == [Filter(FieldRef("id"), Operation("eq", Slot(0)))]
    assert root.order == (OrderTerm(FieldRef("number"), "desc"),) and root.offset == 10
    assert messages.limit == 5 and messages.order == (OrderTerm(FieldRef("created_at"), "desc"),)
    assert isinstance(messages.conditions[0], LogicTree)
    assert params.columns == ("a", "b") and params.on_conflict == ("id",)


def test_name_lists() -> None:
    assert parse_name_list('"a","b c",d', "columns") == ("a", "b c", "d")


def test_prefer_header() -> None:
    prefs = parse_prefer("return=representation,count=exact, resolution=merge-duplicates, missing=default, "
                         "tx=rollback, unknown=1")
    assert prefs.return_ == "representation" and prefs.count == "exact"
    assert prefs.resolution == "merge-duplicates" and prefs.missing_default and prefs.rollback
    assert "unknown=1" not in prefs.applied


def test_prefer_strict_rejects_unknown() -> None:
    with pytest.raises(errors.ApiError) as caught:
        parse_prefer("handling=strict, foo=bar")
    assert caught.value.code == "PGRST122"


def test_accept_negotiation() -> None:
    assert negotiate(None).kind == "array"
    assert negotiate("application/vnd.pgrst.object+json").kind == "object"
    assert negotiate("application/vnd.pgrst.array+json;nulls=stripped").strip_nulls
    assert negotiate("text/html, */*;q=0.8").kind == "array"
    with pytest.raises(errors.ApiError) as caught:
        negotiate("text/html")
    assert caught.value.status == 406


def test_range_header() -> None:
    assert parse_range("0-9") == (0, 10)
    assert parse_range("items=5-") == (5, None)
    for bad in ("9-0", "a-b", "bytes=0-1"):
        with pytest.raises(errors.ApiError) as caught:
            parse_range(bad)
        assert caught.value.code == "PGRST103" and caught.value.status == 416
