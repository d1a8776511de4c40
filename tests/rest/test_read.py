"""Reads through supabase-py: select trees, embeds, filters, ordering, paging, counts, single, HEAD.

Visitor A owns three tickets (priorities low, normal, high), each with two messages; RLS keeps every
read below to A's own rows, so the expected sets are exact.
"""

from __future__ import annotations

import pytest
from postgrest.exceptions import APIError
from tests.rest.conftest import World
from tests.rest.helpers import raw


def test_select_columns_aliases_and_casts(world: World) -> None:
    rows = world.a.client.table("tickets").select("id,title:subject,number::text").order("number").execute().data
    assert [set(r) for r in rows] == [{"id", "title", "number"}] * 3
    assert [r["title"] for r in rows] == ["Question 0", "Question 1", "Question 2"]
    assert all(isinstance(r["number"], str) for r in rows)


def test_select_json_paths(world: World) -> None:
    rows = (world.agent.client.table("analytics")
            .select("event_type,priority:data->>priority,data->status")
            .eq("ticket_id", world.a.tickets[2]).eq("event_type", "ticket_created").execute().data)
    assert rows == [{"event_type": "ticket_created", "priority": "high", "status": "open"}]


def test_filter_on_json_path(world: World) -> None:
    rows = (world.agent.client.table("analytics").select("ticket_id")
            .eq("data->>priority", "normal").in_("ticket_id", world.a.tickets).execute().data)
    assert rows == [{"ticket_id": world.a.tickets[1]}]


def test_to_many_embed_is_an_array_and_to_one_an_object(world: World) -> None:
    ticket = (world.a.client.table("tickets").select("subject,customers(name),messages(content)")
              .eq("id", world.a.tickets[0]).single().execute().data)
    assert ticket["customers"] == {"name": "Visitor"}
    assert sorted(m["content"] for m in ticket["messages"]) == ["Message 0 about 0", "Message 1 about 0"]
    message = (world.a.client.table("messages").select("content,tickets(subject)")
               .eq("id", world.a.messages[0]).single().execute().data)
    assert message == {"content": "Message 0 about 0", "tickets": {"subject": "Question 0"}}


def test_to_one_embed_is_null_when_nothing_matches(world: World) -> None:
    rows = (world.a.client.table("tickets").select("subject,assignee:users(email)")
            .eq("id", world.a.tickets[0]).execute().data)
    assert rows == [{"subject": "Question 0", "assignee": None}]


def test_nested_embeds_with_their_own_order_limit_and_offset(world: World) -> None:
    rows = (world.a.client.table("customers").select("name,tickets(number,messages(content))")
            .order("number", foreign_table="tickets")
            .order("created_at", desc=True, foreign_table="tickets.messages")
            .limit(1, foreign_table="tickets.messages").execute().data)
    (customer,) = rows
    assert [t["messages"] for t in customer["tickets"]] == [
        [{"content": "Message 1 about 0"}], [{"content": "Message 1 about 1"}], [{"content": "Message 1 about 2"}]]
    paged = (world.a.client.table("tickets").select("number,messages(content)").order("number").limit(1)
             .range(1, 1, foreign_table="messages").execute().data)
    assert paged[0]["messages"] == [{"content": "Message 1 about 0"}]


def test_embedded_filters_and_or(world: World) -> None:
    rows = (world.a.client.table("tickets").select("number,messages(content)").order("number")
            .or_("content.eq.Message 0 about 1,content.eq.Message 1 about 2", reference_table="messages")
            .execute().data)
    assert [[m["content"] for m in r["messages"]] for r in rows] == [[], ["Message 0 about 1"], ["Message 1 about 2"]]


def test_inner_embed_filters_parents_by_embedded_columns(world: World) -> None:
    rows = (world.a.client.table("tickets").select("subject,messages!inner(content)")
            .eq("messages.content", "Message 1 about 1").execute().data)
    assert rows == [{"subject": "Question 1", "messages": [{"content": "Message 1 about 1"}]}]


def test_embed_hints_by_constraint_and_by_column(world: World) -> None:
    by_fk = (world.a.client.table("tickets").select("number,customer:customers!tickets_customer_id_fkey(name)")
             .eq("id", world.a.tickets[0]).execute().data)
    by_column = (world.a.client.table("tickets").select("number,customer:customer_id(name)")
                 .eq("id", world.a.tickets[0]).execute().data)
    assert by_fk == by_column and by_fk[0]["customer"] == {"name": "Visitor"}


def test_unknown_embed_is_pgrst200(world: World) -> None:
    with pytest.raises(APIError) as caught:
        world.a.client.table("tickets").select("*,nothing(*)").execute()
    assert caught.value.code == "PGRST200"


@pytest.mark.parametrize(("build", "expected"), [
    (lambda q: q.eq("priority", "high"), ["Question 2"]),
    (lambda q: q.neq("priority", "high"), ["Question 0", "Question 1"]),
    (lambda q: q.gt("number", 0).lt("priority", "m"), ["Question 0", "Question 2"]),
    (lambda q: q.gte("subject", "Question 1").lte("subject", "Question 1"), ["Question 1"]),
    (lambda q: q.like("subject", "*on 1"), ["Question 1"]),
    (lambda q: q.ilike("subject", "QUESTION 2"), ["Question 2"]),
    (lambda q: q.in_("priority", ["low", "high"]), ["Question 0", "Question 2"]),
    (lambda q: q.is_("assignee_id", None), ["Question 0", "Question 1", "Question 2"]),
    (lambda q: q.not_.is_("first_response_at", None), []),
    (lambda q: q.not_.in_("priority", ["low", "high"]), ["Question 1"]),
    (lambda q: q.or_("priority.eq.low,and(priority.eq.high,subject.like.*2)"), ["Question 0", "Question 2"]),
    (lambda q: q.filter("subject", "not.ilike", "*1"), ["Question 0", "Question 2"]),
])
def test_filters(world: World, build: object, expected: list[str]) -> None:
    query = world.a.client.table("tickets").select("subject").order("subject")
    rows = build(query).execute().data  # type: ignore[operator]
    assert [r["subject"] for r in rows] == expected


def test_and_with_negated_or(world: World) -> None:
    response = raw(world.server, "GET", "/tickets", world.a.token, params={
        "select": "subject", "and": "(priority.neq.low,not.or(subject.eq.Question 1,subject.eq.Question 0))"})
    assert response.json() == [{"subject": "Question 2"}]


def test_contains_and_contained_by(world: World) -> None:
    rows = (world.agent.client.table("analytics").select("data").eq("ticket_id", world.a.tickets[2])
            .contains("data", {"priority": "high"}).execute().data)
    assert rows == [{"data": {"priority": "high", "status": "open"}}]
    rows = (world.agent.client.table("analytics").select("event_type").eq("ticket_id", world.a.tickets[2])
            .contained_by("data", {"priority": "high", "status": "open", "extra": 1}).execute().data)
    assert rows == [{"event_type": "ticket_created"}]


def test_order_several_columns_and_nulls(world: World) -> None:
    rows = (world.a.client.table("messages").select("content").in_("ticket_id", world.a.tickets[:2])
            .order("ticket_id", desc=False).order("created_at", desc=True, nullsfirst=True).execute().data)
    by_ticket = sorted(world.a.tickets[:2])
    expected = [f"Message {i} about {world.a.tickets.index(t)}" for t in by_ticket for i in (1, 0)]
    assert [r["content"] for r in rows] == expected
    nulls = (world.a.client.table("tickets").select("subject,first_response_at")
             .order("first_response_at", nullsfirst=False).order("subject").execute().data)
    assert [r["subject"] for r in nulls] == ["Question 0", "Question 1", "Question 2"]


def test_limit_offset_and_content_range(world: World) -> None:
    response = world.a.client.table("tickets").select("subject", count="exact").order("number").range(1, 2).execute()
    assert [r["subject"] for r in response.data] == ["Question 1", "Question 2"]
    assert response.count == 3
    plain = raw(world.server, "GET", "/tickets?select=number&order=number&offset=1&limit=1", world.a.token)
    assert plain.status_code == 200 and plain.headers["content-range"] == "1-1/*"


def test_range_header(world: World) -> None:
    response = raw(world.server, "GET", "/tickets?select=subject&order=number", world.a.token,
                   headers={"Range": "0-1", "Range-Unit": "items", "Prefer": "count=exact"})
    assert response.status_code == 206
    assert response.headers["content-range"] == "0-1/3"
    assert [r["subject"] for r in response.json()] == ["Question 0", "Question 1"]
    beyond = raw(world.server, "GET", "/tickets?offset=10", world.a.token, headers={"Prefer": "count=exact"})
    assert beyond.status_code == 416 and beyond.json()["code"] == "PGRST103"
    bad = raw(world.server, "GET", "/tickets", world.a.token, headers={"Range": "5-1"})
    assert bad.status_code == 416


def test_empty_result_content_range(world: World) -> None:
    response = raw(world.server, "GET", "/tickets?subject=eq.nothing", world.a.token, headers={"Prefer": "count=exact"})
    assert response.headers["content-range"] == "*/0" and response.json() == []


@pytest.mark.parametrize("method", ["exact", "planned", "estimated"])
def test_counts(world: World, method: str) -> None:
    response = world.a.client.table("tickets").select("id", count=method).limit(1).execute()  # type: ignore[arg-type]
    assert len(response.data) == 1
    assert response.count is not None and response.count >= 1
    if method != "planned":
        assert response.count == 3


def test_head_returns_count_without_body(world: World) -> None:
    response = world.a.client.table("tickets").select("*", count="exact", head=True).execute()
    assert response.count == 3 and response.data == []
    head = raw(world.server, "HEAD", "/tickets", world.a.token, headers={"Prefer": "count=exact"})
    assert head.status_code == 200 and head.content == b"" and head.headers["content-range"] == "0-2/3"


def test_single_object(world: World) -> None:
    ticket = world.a.client.table("tickets").select("subject").eq("number", world_ticket_number(world)).single()
    assert ticket.execute().data == {"subject": "Question 0"}


def world_ticket_number(world: World) -> int:
    rows = world.a.client.table("tickets").select("number").eq("id", world.a.tickets[0]).execute().data
    return int(rows[0]["number"])


@pytest.mark.parametrize("query", ["", "&subject=eq.none"])
def test_single_object_needs_exactly_one_row(world: World, query: str) -> None:
    response = raw(world.server, "GET", f"/tickets?select=id{query}", world.a.token,
                   headers={"Accept": "application/vnd.pgrst.object+json"})
    assert response.status_code == 406
    body = response.json()
    assert body["code"] == "PGRST116"
    assert body["details"] == f"The result contains {0 if query else 3} rows"


def test_maybe_single_through_the_client(world: World) -> None:
    found = world.a.client.table("tickets").select("subject").eq("id", world.a.tickets[1]).maybe_single().execute()
    assert found is not None and found.data == {"subject": "Question 1"}
    missing = world.a.client.table("tickets").select("subject").eq("subject", "none").maybe_single().execute()
    assert missing is None


def test_stripped_nulls(world: World) -> None:
    rows = (world.a.client.table("tickets").select("subject,assignee_id").eq("id", world.a.tickets[0])
            .strip_nulls().execute().data)
    assert rows == [{"subject": "Question 0"}]


def test_max_rows_caps_unlimited_reads(world: World) -> None:
    from tests.rest.helpers import sql

    ticket = world.c.tickets[0]
    sql(world.server.db_url, "insert into public.analytics (ticket_id, event_type) "
        "select $1::uuid, 'assigned' from generate_series(1, 1005)", ticket)
    response = (world.agent.client.table("analytics").select("id", count="exact")
                .eq("ticket_id", ticket).eq("event_type", "assigned").execute())
    assert len(response.data) == 1000 and response.count == 1005
    limited = world.agent.client.table("analytics").select("id").eq("ticket_id", ticket).limit(5000).execute()
    assert len(limited.data) == 1000


def test_accept_profile_other_than_public_is_406(world: World) -> None:
    with pytest.raises(APIError) as caught:
        world.a.client.postgrest.schema("auth").table("users").select("*").execute()
    assert caught.value.code == "PGRST106"
    assert caught.value.message == "Invalid schema: auth"


def test_unacceptable_media_type(world: World) -> None:
    response = raw(world.server, "GET", "/tickets", world.a.token, headers={"Accept": "text/html"})
    assert response.status_code == 406 and response.json()["code"] == "PGRST107"
