"""Who may do what, declared as data: every table × actor × operation, plus the attacks.

Each table has one standard statement per operation, aimed at visitor A's rows (`STATEMENTS`);
`EXPECTED` says what each actor gets. `ATTACKS` are extra statements a hostile visitor or agent
would try. `cases()` flattens everything for the one test loop in test_rls_matrix.py.

Outcomes:
  See(names)        the select returns exactly these world rows (other suites' rows are ignored)
  Affects(n)        the insert/update/delete touches n rows
  PERM / RLS        refused with 42501: no privilege, or the row-level security check failed
  Refused(code, d)  refused by a trigger with SQLSTATE `code` and detail `d`
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.rls.world import FOLDER_A, FOLDER_B, ID, MAIN_ACTORS, TOPIC_A, TOPIC_B


@dataclass(frozen=True)
class See:
    names: frozenset[str]


@dataclass(frozen=True)
class Affects:
    count: int


@dataclass(frozen=True)
class Denied:
    sqlstate: str
    fragment: str


@dataclass(frozen=True)
class Refused:
    sqlstate: str
    detail: str


Outcome = See | Affects | Denied | Refused
PERM = Denied("42501", "permission denied")
RLS = Denied("42501", "row-level security")


def see(*names: str) -> See:
    return See(frozenset(names))


@dataclass(frozen=True)
class Case:
    table: str
    op: str
    actor: str
    sql: str
    expect: Outcome
    topic: str | None = None  # realtime.topic() for realtime.messages
    label: str = ""

    @property
    def id(self) -> str:
        return "-".join(p for p in (self.table, self.op, self.actor, self.label) if p)


i = ID
# {self} is the acting user's id (null without a user).
STATEMENTS: dict[str, dict[str, str]] = {
    "users": {
        "select": "select id::text from public.users",
        "insert": f"insert into public.users (id, email, display_name) values ('{i['spare_user']}', 'x@example.com',"
        " 'X')",
        "update": f"update public.users set display_name = 'Renamed' where id = '{i['agent']}'",
        "delete": f"delete from public.users where id = '{i['agent']}'",
    },
    "customers": {
        "select": "select id::text from public.customers",
        "insert": f"insert into public.customers (user_id, email) values ('{i['spare_user']}', 'spare@example.com')",
        "update": f"update public.customers set name = 'Renamed' where id = '{i['customer_a']}'",
        "delete": f"delete from public.customers where id = '{i['customer_a']}'",
    },
    "tickets": {
        "select": "select id::text from public.tickets",
        "insert": f"insert into public.tickets (customer_id, subject) values ('{i['customer_a']}', 'New ticket')",
        "update": f"update public.tickets set priority = 'high' where id = '{i['ticket_a']}'",
        "delete": f"delete from public.tickets where id = '{i['ticket_a']}'",
    },
    "messages": {
        "select": "select id::text from public.messages",
        # the actor writes into A's open ticket as itself (a visitor as customer, an agent as admin)
        "insert": (
            "insert into public.messages (ticket_id, sender_type, sender_id, content) values "
            f"('{i['ticket_a']}', {{sender_type}}, {{self}}, 'Any news?')"
        ),
        "update": f"update public.messages set content = 'Edited' where id = '{i['message_a']}'",
        "delete": f"delete from public.messages where id = '{i['message_a']}'",
    },
    "attachments": {
        "select": "select id::text from public.attachments",
        "insert": (
            "insert into public.attachments (ticket_id, message_id, object_id, object_path, file_name, mime_type,"
            f" size_bytes) values ('{i['ticket_a']}', '{i['message_a']}', '{i['object_a2']}', '{FOLDER_A}/a2.png',"
            " 'a2.png', 'image/png', 10)"
        ),
        "update": f"update public.attachments set file_name = 'renamed.pdf' where id = '{i['attachment_a']}'",
        "delete": f"delete from public.attachments where id = '{i['attachment_a']}'",
    },
    "analytics": {
        "select": "select distinct ticket_id::text from public.analytics",
        "insert": f"insert into public.analytics (ticket_id, event_type) values ('{i['ticket_a']}', 'reopened')",
        "update": f"update public.analytics set data = '{{}}' where ticket_id = '{i['ticket_a']}'",
        "delete": f"delete from public.analytics where ticket_id = '{i['ticket_a']}'",
    },
    "storage.objects": {
        "select": "select id::text from storage.objects",
        "insert": (
            "insert into storage.objects (bucket_id, name, owner, owner_id) values "
            f"('support-attachments', '{FOLDER_A}/new.pdf', {{self}}, {{self}}::text)"
        ),
        "update": f"update storage.objects set metadata = '{{}}' where id = '{i['object_a']}'",
        "delete": f"delete from storage.objects where id = '{i['object_a']}'",
    },
    "realtime.messages": {  # run with realtime.topic() = ticket:<A's ticket>
        "select": "select id::text from realtime.messages",
        "insert": (
            "insert into realtime.messages (topic, extension, payload) values (realtime.topic(), 'broadcast', '{}')"
        ),
        "update": f"update realtime.messages set payload = '{{\"x\": 1}}' where id = '{i['rt_ticket_a']}'",
        "delete": f"delete from realtime.messages where id = '{i['rt_ticket_a']}'",
    },
}

A_TICKETS = ("ticket_a", "ticket_a_closed")
ALL_TICKETS = (*A_TICKETS, "ticket_b")
DENY_ALL_BUT_SERVICE = {"anon": PERM, "visitor_a": PERM, "visitor_b": PERM, "agent": PERM, "service_role": Affects(1)}

EXPECTED: dict[str, dict[str, dict[str, Outcome]]] = {
    "users": {
        "select": {
            "anon": PERM,
            "visitor_a": see(),
            "visitor_b": see(),
            "agent": see("agent", "admin"),
            "service_role": see("agent", "admin"),
        },
        "insert": DENY_ALL_BUT_SERVICE,
        "update": {
            "anon": PERM,
            "visitor_a": Affects(0),
            "visitor_b": Affects(0),
            "agent": Affects(0),
            "service_role": Affects(1),
        },
        "delete": DENY_ALL_BUT_SERVICE,
    },
    "customers": {
        "select": {
            "anon": PERM,
            "visitor_a": see("customer_a"),
            "visitor_b": see("customer_b"),
            "agent": see("customer_a", "customer_b"),
            "service_role": see("customer_a", "customer_b"),
        },
        "insert": DENY_ALL_BUT_SERVICE,
        "update": {
            "anon": PERM,
            "visitor_a": Affects(0),
            "visitor_b": Affects(0),
            "agent": Affects(1),
            "service_role": Affects(1),
        },
        "delete": DENY_ALL_BUT_SERVICE,
    },
    "tickets": {
        "select": {
            "anon": PERM,
            "visitor_a": see(*A_TICKETS),
            "visitor_b": see("ticket_b"),
            "agent": see(*ALL_TICKETS),
            "service_role": see(*ALL_TICKETS),
        },
        "insert": DENY_ALL_BUT_SERVICE,
        "update": {
            "anon": PERM,
            "visitor_a": Affects(0),
            "visitor_b": Affects(0),
            "agent": Affects(1),
            "service_role": Affects(1),
        },
        "delete": DENY_ALL_BUT_SERVICE,
    },
    "messages": {
        "select": {
            "anon": PERM,
            "visitor_a": see("message_a", "reply_a", "message_a_closed"),
            "visitor_b": see("message_b"),
            "agent": see("message_a", "reply_a", "message_a_closed", "message_b"),
            "service_role": see("message_a", "reply_a", "message_a_closed", "message_b"),
        },
        "insert": {
            "anon": PERM,
            "visitor_a": Affects(1),
            "visitor_b": RLS,
            "agent": Affects(1),
            "service_role": Affects(1),
        },
        "update": DENY_ALL_BUT_SERVICE,
        "delete": DENY_ALL_BUT_SERVICE,
    },
    "attachments": {
        "select": {
            "anon": PERM,
            "visitor_a": see("attachment_a"),
            "visitor_b": see("attachment_b"),
            "agent": see("attachment_a", "attachment_b"),
            "service_role": see("attachment_a", "attachment_b"),
        },
        "insert": DENY_ALL_BUT_SERVICE,
        "update": DENY_ALL_BUT_SERVICE,
        "delete": DENY_ALL_BUT_SERVICE,
    },
    "analytics": {  # append-only: not even the service role may change or remove events
        "select": {
            "anon": PERM,
            "visitor_a": see(),
            "visitor_b": see(),
            "agent": see(*ALL_TICKETS),
            "service_role": see(*ALL_TICKETS),
        },
        "insert": DENY_ALL_BUT_SERVICE,
        "update": {actor: PERM for actor in MAIN_ACTORS},
        "delete": {actor: PERM for actor in MAIN_ACTORS},
    },
    "storage.objects": {
        "select": {
            "anon": see(),
            "visitor_a": see("object_a", "object_a2"),
            "visitor_b": see("object_b"),
            "agent": see("object_a", "object_a2", "object_b"),
            "service_role": see("object_a", "object_a2", "object_b"),
        },
        "insert": {
            "anon": RLS,
            "visitor_a": Affects(1),
            "visitor_b": RLS,
            "agent": Affects(1),
            "service_role": Affects(1),
        },
        "update": {
            "anon": Affects(0),
            "visitor_a": Affects(0),
            "visitor_b": Affects(0),
            "agent": Affects(0),
            "service_role": Affects(1),
        },
        "delete": {
            "anon": Affects(0),
            "visitor_a": Affects(0),
            "visitor_b": Affects(0),
            "agent": Affects(0),
            "service_role": Affects(1),
        },
    },
    "realtime.messages": {  # the policies authorize the topic, so a reader sees every row of it
        "select": {
            "anon": see(),
            "visitor_a": see("rt_ticket_a", "rt_presence"),
            "visitor_b": see(),
            "agent": see("rt_ticket_a", "rt_presence"),
            "service_role": see("rt_ticket_a", "rt_presence"),
        },
        "insert": {
            "anon": RLS,
            "visitor_a": Affects(1),
            "visitor_b": RLS,
            "agent": Affects(1),
            "service_role": Affects(1),
        },
        "update": {
            "anon": Affects(0),
            "visitor_a": Affects(0),
            "visitor_b": Affects(0),
            "agent": Affects(0),
            "service_role": Affects(1),
        },
        "delete": {actor: PERM for actor in MAIN_ACTORS},
    },
}

_MSG = "insert into public.messages (ticket_id, sender_type, sender_id, content{extra}) values ('{ticket}', {values})"


def _msg(ticket: str, sender_type: str, sender: str, extra_cols: str = "", extra_vals: str = "") -> str:
    sender_sql = "null" if sender == "null" else f"'{i[sender]}'"
    values = f"'{sender_type}', {sender_sql}, 'Let me in'{extra_vals}"
    return _MSG.format(extra=extra_cols, ticket=i[ticket], values=values)


ATTACKS: list[Case] = [
    # messages: a visitor may only add customer messages as itself to its own open tickets
    Case("messages", "insert", "visitor_a", _msg("ticket_a", "admin", "visitor_a"), RLS, label="as-admin"),
    Case("messages", "insert", "visitor_a", _msg("ticket_a", "system", "null"), RLS, label="as-system"),
    Case("messages", "insert", "visitor_a", _msg("ticket_b", "customer", "visitor_a"), RLS, label="into-b-ticket"),
    Case("messages", "insert", "visitor_a", _msg("ticket_a", "customer", "visitor_b"), RLS, label="as-visitor-b"),
    Case("messages", "insert", "visitor_a", _msg("ticket_a", "admin", "agent"), RLS, label="as-the-agent"),
    Case(
        "messages",
        "insert",
        "visitor_a",
        _msg("ticket_a", "customer", "visitor_a", ", created_at", ", '2001-01-01'"),
        PERM,
        label="forged-created-at",
    ),
    Case(
        "messages",
        "insert",
        "visitor_a",
        _msg("ticket_a", "customer", "visitor_a", ", id", f", '{i['message_b']}'"),
        PERM,
        label="chosen-id",
    ),
    Case(
        "messages",
        "insert",
        "visitor_a",
        _msg("ticket_a_closed", "customer", "visitor_a"),
        Refused("PT409", "ticket_closed"),
        label="into-closed-ticket",
    ),
    Case("messages", "insert", "agent", _msg("ticket_a", "customer", "agent"), RLS, label="agent-as-customer"),
    Case("messages", "insert", "agent", _msg("ticket_a", "admin", "admin"), RLS, label="agent-as-other-agent"),
    Case(
        "messages",
        "insert",
        "agent",
        _msg("ticket_a_closed", "admin", "agent"),
        Refused("PT409", "ticket_closed"),
        label="agent-into-closed-ticket",
    ),
    Case(
        "messages",
        "update",
        "visitor_a",
        f"update public.messages set created_at = '2001-01-01' where id = '{i['message_a']}'",
        PERM,
        label="backdate-own-message",
    ),
    Case(
        "messages",
        "delete",
        "visitor_a",
        f"delete from public.messages where sender_id = '{i['visitor_a']}'",
        PERM,
        label="own-messages",
    ),
    # tickets: visitors change nothing; agents only the columns the API exposes
    Case(
        "tickets",
        "update",
        "visitor_a",
        f"update public.tickets set status = 'resolved' where id = '{i['ticket_a']}'",
        Affects(0),
        label="own-status",
    ),
    Case(
        "tickets",
        "update",
        "visitor_a",
        f"update public.tickets set assignee_id = '{i['agent']}' where id = '{i['ticket_a']}'",
        Affects(0),
        label="own-assignee",
    ),
    Case(
        "tickets",
        "update",
        "visitor_a",
        f"update public.tickets set created_at = '2001-01-01' where id = '{i['ticket_a']}'",
        PERM,
        label="forged-created-at",
    ),
    Case(
        "tickets",
        "update",
        "agent",
        f"update public.tickets set customer_id = '{i['customer_b']}' where id = '{i['ticket_a']}'",
        PERM,
        label="move-to-other-customer",
    ),
    Case(
        "tickets",
        "update",
        "agent",
        f"update public.tickets set first_response_at = now() where id = '{i['ticket_a']}'",
        PERM,
        label="forged-first-response",
    ),
    Case(
        "tickets",
        "update",
        "agent",
        f"update public.tickets set status = 'open' where id = '{i['ticket_a_closed']}'",
        Refused("PT409", "invalid_transition"),
        label="reopen-closed",
    ),
    Case("tickets", "select", "anon", "select id::text from public.tickets", PERM, label="anon-key-only"),
    # customers and users: nobody promotes themselves
    Case(
        "customers",
        "update",
        "visitor_a",
        f"update public.customers set email = 'evil@example.com' where id = '{i['customer_a']}'",
        Affects(0),
        label="own-email",
    ),
    Case(
        "users",
        "update",
        "agent",
        f"update public.users set role = 'admin' where id = '{i['agent']}'",
        Affects(0),
        label="self-promotion",
    ),
    Case(
        "users",
        "update",
        "admin",
        f"update public.users set role = 'admin' where id = '{i['agent']}'",
        Affects(1),
        label="admin-promotes",
    ),
    Case(
        "users",
        "update",
        "agent",
        f"update public.users set email = 'x@example.com' where id = '{i['agent']}'",
        PERM,
        label="own-email",
    ),
    # storage: uploads only inside one's own ticket folders, in the attachments bucket
    Case(
        "storage.objects",
        "insert",
        "visitor_a",
        f"insert into storage.objects (bucket_id, name, owner) values ('support-attachments', '{FOLDER_B}/x.pdf',"
        f" '{i['visitor_a']}')",
        RLS,
        label="into-b-folder",
    ),
    Case(
        "storage.objects",
        "insert",
        "visitor_a",
        "insert into storage.objects (bucket_id, name) values ('support-attachments', 'elsewhere/x.pdf')",
        RLS,
        label="outside-tickets",
    ),
    Case(
        "storage.objects",
        "insert",
        "visitor_a",
        f"insert into storage.objects (bucket_id, name) values ('avatars', '{FOLDER_A}/x.pdf')",
        RLS,
        label="other-bucket",
    ),
    # realtime: private channels
    Case(
        "realtime.messages",
        "select",
        "visitor_a",
        "select id::text from realtime.messages",
        see(),
        TOPIC_B,
        label="b-ticket-topic",
    ),
    Case(
        "realtime.messages",
        "insert",
        "visitor_a",
        "insert into realtime.messages (topic, extension) values (realtime.topic(), 'presence')",
        RLS,
        "agents:presence",
        label="track-agent-presence",
    ),
    Case(
        "realtime.messages",
        "select",
        "visitor_a",
        "select id::text from realtime.messages",
        see("rt_ticket_a", "rt_presence"),
        "agents:presence",
        label="listen-agent-presence",
    ),
    Case(
        "realtime.messages",
        "insert",
        "agent",
        "insert into realtime.messages (topic, extension) values (realtime.topic(), 'presence')",
        Affects(1),
        "agents:presence",
        label="track-agent-presence",
    ),
    Case(
        "realtime.messages",
        "select",
        "visitor_a",
        "select id::text from realtime.messages",
        see(),
        "ticket:not-a-uuid",
        label="malformed-topic",
    ),
    Case(
        "realtime.messages",
        "select",
        "anon",
        "select id::text from realtime.messages",
        see(),
        "agents:presence",
        label="anon-agent-presence",
    ),
]


def _standard(table: str, op: str, actor: str) -> Case:
    from tests.rls.world import ACTORS

    sub = ACTORS[actor].get("sub")
    sender_type = "'admin'" if actor == "agent" else "'customer'"
    self_sql = f"'{sub}'" if sub else ("'" + i["visitor_a"] + "'" if table == "messages" else "null")
    sql = STATEMENTS[table][op].replace("{self}", self_sql).replace("{sender_type}", sender_type)
    topic = TOPIC_A if table == "realtime.messages" else None
    return Case(table, op, actor, sql, EXPECTED[table][op][actor], topic)


def cases() -> list[Case]:
    standard = [_standard(table, op, actor) for table, ops in EXPECTED.items() for op in ops for actor in MAIN_ACTORS]
    return standard + ATTACKS
