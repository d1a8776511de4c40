"""The small world every RLS case runs in: two visitors with their tickets, an agent and an admin,
messages, storage objects and attachments, analytics (written by the real triggers), and realtime
rows. Installed as the superuser inside each case's transaction and rolled back with it.

Names map to fixed uuids; cases refer to rows by name.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.db.support import claims_for

_NS = uuid.UUID("1d0c7f0e-9a4b-4c3e-8f21-6b5a4d3c2b1a")
NAMES = (
    "agent",
    "admin",
    "visitor_a",
    "visitor_b",
    "spare_user",
    "customer_a",
    "customer_b",
    "ticket_a",
    "ticket_a_closed",
    "ticket_b",
    "message_a",
    "reply_a",
    "message_a_closed",
    "message_b",
    "object_a",
    "object_a2",
    "object_b",
    "attachment_a",
    "attachment_b",
    "rt_ticket_a",
    "rt_presence",
)
ID: dict[str, str] = {name: str(uuid.uuid5(_NS, name)) for name in NAMES}
NAME_OF: dict[str, str] = {v: k for k, v in ID.items()}

FOLDER_A = f"tickets/{ID['ticket_a']}"
FOLDER_B = f"tickets/{ID['ticket_b']}"
TOPIC_A = f"ticket:{ID['ticket_a']}"
TOPIC_B = f"ticket:{ID['ticket_b']}"

ACTORS: dict[str, dict[str, Any]] = {
    "anon": claims_for("anon"),
    "visitor_a": claims_for("authenticated", ID["visitor_a"], anonymous=True),
    "visitor_b": claims_for("authenticated", ID["visitor_b"], anonymous=True),
    "agent": claims_for("authenticated", ID["agent"], email="sd-fd-rls-agent@example.com"),
    "admin": claims_for("authenticated", ID["admin"], email="sd-fd-rls-admin@example.com"),
    "service_role": claims_for("service_role"),
}
MAIN_ACTORS = ("anon", "visitor_a", "visitor_b", "agent", "service_role")


def _sql() -> str:
    i = ID
    zero = "00000000-0000-0000-0000-000000000000"
    return f"""
insert into auth.users (instance_id, id, aud, role, email, is_anonymous, raw_app_meta_data, raw_user_meta_data,
                        created_at, updated_at) values
  ('{zero}', '{i["agent"]}', 'authenticated', 'authenticated', 'sd-fd-rls-agent@example.com', false, '{{}}', '{{}}',
   now(), now()),
  ('{zero}', '{i["admin"]}', 'authenticated', 'authenticated', 'sd-fd-rls-admin@example.com', false, '{{}}', '{{}}',
   now(), now()),
  ('{zero}', '{i["visitor_a"]}', 'authenticated', 'authenticated', null, true, '{{}}', '{{}}', now(), now()),
  ('{zero}', '{i["visitor_b"]}', 'authenticated', 'authenticated', null, true, '{{}}', '{{}}', now(), now()),
  ('{zero}', '{i["spare_user"]}', 'authenticated', 'authenticated', null, true, '{{}}', '{{}}', now(), now());
insert into public.users (id, email, display_name, role) values
  ('{i["agent"]}', 'sd-fd-rls-agent@example.com', 'RLS Agent', 'agent'),
  ('{i["admin"]}', 'sd-fd-rls-admin@example.com', 'RLS Admin', 'admin');
insert into public.customers (id, user_id, email, name) values
  ('{i["customer_a"]}', '{i["visitor_a"]}', 'visitor.a@example.com', 'Visitor A'),
  ('{i["customer_b"]}', '{i["visitor_b"]}', 'visitor.b@example.com', 'Visitor B');
insert into public.tickets (id, customer_id, subject) values
  ('{i["ticket_a"]}', '{i["customer_a"]}', 'A needs help'),
  ('{i["ticket_a_closed"]}', '{i["customer_a"]}', 'An old problem of A'),
  ('{i["ticket_b"]}', '{i["customer_b"]}', 'B needs help');
insert into public.messages (id, ticket_id, sender_type, sender_id, content) values
  ('{i["message_a"]}', '{i["ticket_a"]}', 'customer', '{i["visitor_a"]}', 'Hello, I am A'),
  ('{i["reply_a"]}', '{i["ticket_a"]}', 'admin', '{i["agent"]}', 'Hi A, looking into it'),
  ('{i["message_a_closed"]}', '{i["ticket_a_closed"]}', 'customer', '{i["visitor_a"]}', 'Old message'),
  ('{i["message_b"]}', '{i["ticket_b"]}', 'customer', '{i["visitor_b"]}', 'Hello, I am B');
update public.tickets set status = 'closed' where id = '{i["ticket_a_closed"]}';
insert into storage.objects (id, bucket_id, name, owner, owner_id) values
  ('{i["object_a"]}', 'support-attachments', '{FOLDER_A}/a.pdf', '{i["visitor_a"]}', '{i["visitor_a"]}'),
  ('{i["object_a2"]}', 'support-attachments', '{FOLDER_A}/a2.png', '{i["visitor_a"]}', '{i["visitor_a"]}'),
  ('{i["object_b"]}', 'support-attachments', '{FOLDER_B}/b.pdf', '{i["visitor_b"]}', '{i["visitor_b"]}');
insert into public.attachments (id, ticket_id, message_id, object_id, object_path, file_name, mime_type, size_bytes)
values
  ('{i["attachment_a"]}', '{i["ticket_a"]}', '{i["message_a"]}', '{i["object_a"]}', '{FOLDER_A}/a.pdf', 'a.pdf',
   'application/pdf', 1024),
  ('{i["attachment_b"]}', '{i["ticket_b"]}', '{i["message_b"]}', '{i["object_b"]}', '{FOLDER_B}/b.pdf', 'b.pdf',
   'application/pdf', 2048);
insert into realtime.messages (id, topic, extension, payload) values
  ('{i["rt_ticket_a"]}', '{TOPIC_A}', 'broadcast', '{{}}'),
  ('{i["rt_presence"]}', 'agents:presence', 'presence', '{{}}');
"""


WORLD_SQL = _sql()
