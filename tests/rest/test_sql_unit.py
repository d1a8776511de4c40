"""The plan and SQL stages against a hand-built schema cache: names are checked and quoted,
values only ever appear as bound parameters."""

from __future__ import annotations

import pytest

from supadesk.server.rest import errors
from supadesk.server.rest.compile import Compiled, compile_request
from supadesk.server.rest.querystring import shape_query, split_query
from supadesk.server.rest.request import PayloadShape, api_request
from supadesk.server.rest.schema.model import Argument, Column, Routine, SchemaCache, Table
from supadesk.server.rest.schema.relationships import build_relationships
from supadesk.server.rest.sql.params import BodyParam, ConstParam, SlotParam, bind


def _table(name: str, pk: tuple[str, ...], *columns: Column) -> Table:
    return Table("public", name, {c.name: c for c in columns}, pk, (pk,))


def _cache() -> SchemaCache:
    uuid_col = lambda name: Column(name, "uuid")  # noqa: E731
    tables = {
        "users": _table("users", ("id",), uuid_col("id"), Column("email", "text")),
        "customers": _table("customers", ("id",), uuid_col("id"), Column("name", "text")),
        "tickets": _table("tickets", ("id",), Column("id", "uuid", default_sql="gen_random_uuid()"),
                          uuid_col("customer_id"), uuid_col("assignee_id"), Column("subject", "text"),
                          Column("number", "bigint", generated=True), Column("data", "jsonb", is_json=True)),
        "messages": _table("messages", ("id",), uuid_col("id"), uuid_col("ticket_id"), Column("content", "text"),
                           Column("created_at", "timestamp with time zone", default_sql="now()")),
        "handoffs": _table("handoffs", ("id",), uuid_col("id"), uuid_col("from_id"), uuid_col("to_id")),
    }
    fks = [
        {"name": "tickets_customer_id_fkey", "table_name": "tickets", "target": "customers",
         "columns": ["customer_id"], "target_columns": ["id"]},
        {"name": "tickets_assignee_id_fkey", "table_name": "tickets", "target": "users",
         "columns": ["assignee_id"], "target_columns": ["id"]},
        {"name": "messages_ticket_id_fkey", "table_name": "messages", "target": "tickets",
         "columns": ["ticket_id"], "target_columns": ["id"]},
        {"name": "handoffs_from_id_fkey", "table_name": "handoffs", "target": "users",
         "columns": ["from_id"], "target_columns": ["id"]},
        {"name": "handoffs_to_id_fkey", "table_name": "handoffs", "target": "users",
         "columns": ["to_id"], "target_columns": ["id"]},
    ]
    per_day = Routine("public", "per_day", (Argument("range_start", "timestamp with time zone", True),
                                            Argument("status", "text", False)), True, "stable", "composite",
                      None, {"day": Column("day", "date"), "tickets": Column("tickets", "bigint")})
    bump = Routine("public", "bump", (Argument("n", "integer", True),), False, "volatile", "scalar")
    types = {"text": "text", "int4": "integer", "integer": "integer", "int": "integer", "date": "date"}
    return SchemaCache("public", tables, build_relationships(tables, fks), {"per_day": [per_day], "bump": [bump]},
                       types)


def compile_(method: str, path: str, query: str = "", headers: dict[str, str] | None = None,
             payload: PayloadShape | None = None) -> tuple[Compiled, list[str]]:
    shape, slots = shape_query(split_query(query), slots=not (path.startswith("/rpc/") and method == "GET"))
    req = api_request(method, path, shape, headers or {}, payload or PayloadShape("none"), ("public",))
    return compile_request(_cache(), req, 1000), slots


def test_filter_value_is_a_slot_cast_to_the_column_type() -> None:
    compiled, slots = compile_("GET", "/tickets", "select=id,subject&id=eq.abc' or 1=1--")
    sql = compiled.main.sql
    assert "abc" not in sql and "1=1" not in sql
    assert '("tickets"."id") = $1::text::uuid' in sql
    assert compiled.main.sources == (SlotParam(0), ConstParam(1000))
    assert bind(compiled.main.sources, slots, None) == ["abc' or 1=1--", 1000]
    assert compiled.readonly


def test_same_shape_compiles_to_identical_sql() -> None:
    first, _ = compile_("GET", "/tickets", "id=eq.1")
    second, slots = compile_("GET", "/tickets", "id=eq.2")
    assert first.main.sql == second.main.sql and slots == ["2"]


def test_alias_is_quoted_as_an_identifier() -> None:
    compiled, _ = compile_("GET", "/tickets", 'select="x\\" from pg_authid --":subject')
    assert 'as "x"" from pg_authid --"' in compiled.main.sql


def test_json_path_keys_are_bound() -> None:
    compiled, _ = compile_("GET", "/tickets", "select=data->a->>b&data->>c=eq.1&order=data->d.desc")
    sql = compiled.main.sql
    assert '"tickets"."data"->$1::text->>$2::text as "b"' in sql
    values = [s.value for s in compiled.main.sources if isinstance(s, ConstParam)]
    assert {"a", "b", "c", "d"} <= set(values)
    assert "'a'" not in sql


def test_like_wildcards_become_percent_at_bind_time() -> None:
    compiled, slots = compile_("GET", "/messages", "content=ilike.*hello*")
    assert compiled.main.sources[0] == SlotParam(0, like=True)
    assert bind(compiled.main.sources, slots, None)[0] == "%hello%"


def test_in_list_is_one_array_parameter() -> None:
    compiled, _ = compile_("GET", "/tickets", 'subject=in.(a,"b,c")')
    assert "= any($1::text[]::text[])" in compiled.main.sql
    assert compiled.main.sources[0] == ConstParam(["a", "b,c"])


@pytest.mark.parametrize(("query", "code", "status"), [
    ("select=nope", "42703", 400),
    ("order=nope.asc", "42703", 400),
    ("nope=eq.1", "42703", 400),
    ("select=id::nosuchtype", "42704", 400),
    ("select=*,nope(*)", "PGRST200", 400),
    ("messages.order=id", "PGRST108", 400),
])
def test_unknown_names_are_refused_before_sql(query: str, code: str, status: int) -> None:
    with pytest.raises(errors.ApiError) as caught:
        compile_("GET", "/tickets", query)
    assert (caught.value.code, caught.value.status) == (code, status)


def test_unknown_table_and_function() -> None:
    with pytest.raises(errors.ApiError) as caught:
        compile_("GET", "/ticket")
    assert caught.value.code == "PGRST205" and caught.value.hint == "Perhaps you meant the table 'public.tickets'"
    with pytest.raises(errors.ApiError) as caught:
        compile_("POST", "/rpc/nope", payload=PayloadShape("object", ("a",)))
    assert (caught.value.code, caught.value.status) == ("PGRST202", 404)


def test_embeds_are_lateral_joins_through_foreign_keys() -> None:
    compiled, _ = compile_("GET", "/tickets",
                           "select=id,customers(name),messages(content)&messages.order=created_at.desc&messages.limit=5")
    sql = compiled.main.sql
    assert 'left join lateral (select row_to_json(pgrst_e) as body from (select "customers"."name" as "name" ' \
           'from "public"."customers" as "customers" where "customers"."id" = "tickets"."customer_id")' in sql
    assert '"messages"."ticket_id" = "tickets"."id" order by "messages"."created_at" desc limit $' in sql
    assert 'coalesce("pgrst_messages".body, \'[]\') as "messages"' in sql


def test_inner_embed_filters_parents() -> None:
    compiled, _ = compile_("GET", "/tickets", "select=id,messages!inner(id)&messages.content=eq.x")
    assert 'inner join lateral' in compiled.main.sql and '"pgrst_messages".body is not null' in compiled.main.sql


def test_ambiguous_embed_needs_a_hint() -> None:
    with pytest.raises(errors.ApiError) as caught:
        compile_("GET", "/handoffs", "select=*,users(*)")
    assert (caught.value.code, caught.value.status) == ("PGRST201", 300)
    assert len(caught.value.details) == 2
    compiled, _ = compile_("GET", "/handoffs", "select=*,to:users!handoffs_to_id_fkey(email),from:from_id(email)")
    assert '"users"."id" = "handoffs"."to_id"' in compiled.main.sql
    assert '"users_2"."id" = "handoffs"."from_id"' in compiled.main.sql


def test_exact_count_adds_a_count_subquery() -> None:
    compiled, _ = compile_("GET", "/tickets", "subject=eq.a&limit=2", {"prefer": "count=exact"})
    assert "(select count(*) from (select 1 from \"public\".\"tickets\"" in compiled.main.sql
    planned, _ = compile_("GET", "/tickets", "subject=eq.a", {"prefer": "count=planned"})
    assert planned.planned_count is not None and planned.planned_count.sql.startswith("explain (format json)")


def test_max_rows_caps_the_limit() -> None:
    compiled, _ = compile_("GET", "/tickets", "limit=5000")
    assert ConstParam(1000) in compiled.main.sources
    compiled, _ = compile_("GET", "/tickets", "limit=10&offset=20", {"range": "0-4"})
    assert compiled.offset == 20


def test_insert_binds_the_body_once() -> None:
    compiled, _ = compile_("POST", "/messages", "", {"prefer": "return=minimal"},
                           PayloadShape("object", ("content", "ticket_id")))
    assert compiled.main.sql == (
        'insert into "public"."messages" as "messages" ("content", "ticket_id") select "content", "ticket_id" '
        'from json_populate_recordset(null::"public"."messages", $1::json)')
    assert compiled.main.sources == (BodyParam(),) and compiled.mode == "minimal"


def test_insert_unknown_column_is_pgrst204() -> None:
    with pytest.raises(errors.ApiError) as caught:
        compile_("POST", "/messages", "", {}, PayloadShape("object", ("content", "evil\"col")))
    assert caught.value.code == "PGRST204"
    with pytest.raises(errors.ApiError) as caught:
        compile_("POST", "/messages", 'columns="content","nope"', {}, PayloadShape("array", ("content",)))
    assert caught.value.code == "PGRST204"


def test_upsert_and_missing_default() -> None:
    compiled, _ = compile_("POST", "/tickets", "on_conflict=id",
                           {"prefer": "resolution=merge-duplicates,missing=default,return=representation"},
                           PayloadShape("array", ("id", "subject")))
    sql = compiled.main.sql
    assert 'on conflict ("id") do update set "id" = excluded."id", "subject" = excluded."subject"' in sql
    assert "else gen_random_uuid() end" in sql
    assert sql.startswith("with pgrst_source as (insert into")
    ignore, _ = compile_("POST", "/tickets", "", {"prefer": "resolution=ignore-duplicates"},
                         PayloadShape("object", ("subject",)))
    assert ignore.main.sql.endswith('on conflict ("id") do nothing')


def test_update_and_delete_apply_root_filters_to_the_statement() -> None:
    compiled, _ = compile_("PATCH", "/tickets", "id=eq.1&select=id,messages(id)",
                           {"prefer": "return=representation"}, PayloadShape("object", ("subject",)))
    sql = compiled.main.sql
    assert 'update "public"."tickets" as "tickets" set "subject" = pgrst_body."subject" from ' \
           'json_populate_record(null::"public"."tickets", $1::json) as pgrst_body where ("tickets"."id") = $2' in sql
    deleted, _ = compile_("DELETE", "/tickets", "subject=neq.x")
    assert deleted.main.sql == 'delete from "public"."tickets" as "tickets" where ("tickets"."subject") <> $1::text'


def test_rpc_arguments_are_typed_by_the_function() -> None:
    compiled, _ = compile_("POST", "/rpc/per_day", "select=day&tickets=gt.1&order=day",
                           {}, PayloadShape("object", ("range_start",)))
    sql = compiled.main.sql
    assert 'json_to_record($1::json) as pgrst_args("range_start" timestamp with time zone)' in sql
    assert '"public"."per_day"("range_start" := pgrst_args."range_start")' in sql
    assert compiled.readonly


def test_rpc_get_splits_arguments_from_filters() -> None:
    compiled, _ = compile_("GET", "/rpc/per_day", "range_start=2024-01-01&status=open&tickets=gt.3")
    assert compiled.main.sources[0] == ConstParam('{"range_start": "2024-01-01", "status": "open"}')
    assert '("per_day"."tickets") > $' in compiled.main.sql


def test_volatile_rpc_posts_read_write_and_scalar_results_are_json() -> None:
    compiled, _ = compile_("POST", "/rpc/bump", "", {}, PayloadShape("object", ("n",)))
    assert not compiled.readonly and compiled.mode == "scalar"
    assert compiled.main.sql.startswith('select null::bigint, 1::bigint, to_json("public"."bump"(')


def test_rpc_argument_names_must_match() -> None:
    with pytest.raises(errors.ApiError) as caught:
        compile_("POST", "/rpc/bump", "", {}, PayloadShape("object", ("n", "m")))
    assert caught.value.code == "PGRST202"


def test_schema_profile_must_be_exposed() -> None:
    with pytest.raises(errors.ApiError) as caught:
        compile_("GET", "/tickets", "", {"accept-profile": "auth"})
    assert (caught.value.code, caught.value.status) == ("PGRST106", 406)
