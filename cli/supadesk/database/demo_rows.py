"""From a ticket plan to the rows the database would hold had every action gone through the triggers
(supabase/migrations/…_tickets_and_messages.sql and …_analytics.sql), so the bulk load can switch
the triggers off and still leave exactly what they would have written:

- tickets: updated_at (every message and update touches the row), last_message_at,
  first_response_at (first agent message), resolved_at (set on resolve, cleared on reopen, kept or
  set on close), closed_at, status reopened by a customer message on a resolved ticket;
- analytics: ticket_created, message_created, first_response, status_changed, resolved, reopened,
  closed, assigned, priority_changed — with the trigger's actor, data and time, in trigger order.

`number` is left to the identity column: tickets are copied oldest first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from supadesk.database.demo_plan import MSG, TicketPlan, Visitor

Row = tuple[Any, ...]

TICKET_COLUMNS = (
    "id",
    "customer_id",
    "subject",
    "status",
    "priority",
    "assignee_id",
    "created_at",
    "updated_at",
    "last_message_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
)
MESSAGE_COLUMNS = ("id", "ticket_id", "sender_type", "sender_id", "content", "client_id", "created_at")
ANALYTICS_COLUMNS = ("ticket_id", "event_type", "actor_id", "data", "occurred_at")
AUTH_USER_COLUMNS = (
    "instance_id",
    "id",
    "aud",
    "role",
    "raw_app_meta_data",
    "raw_user_meta_data",
    "is_super_admin",
    "created_at",
    "updated_at",
    "last_sign_in_at",
    "is_anonymous",
)
CUSTOMER_COLUMNS = ("id", "user_id", "email", "name", "created_at")
_INSTANCE = "00000000-0000-0000-0000-000000000000"
_TRANSITIONS = {
    "open": ("pending", "resolved", "closed"),
    "pending": ("open", "resolved", "closed"),
    "resolved": ("open", "closed"),
    "closed": (),
}


def ts(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def visitor_rows(visitor: Visitor) -> tuple[Row, Row]:
    """The anonymous auth user (as GoTrue's anonymous sign-in creates it) and its customers row."""
    at = ts(visitor.created)
    user = (_INSTANCE, visitor.user_id, "authenticated", "authenticated", "{}", "{}", False, at, at, at, True)
    return user, (visitor.customer_id, visitor.user_id, visitor.email, visitor.name, at)


def _pair(first: str, a: str, second: str, b: str) -> str:
    return f'{{"{first}": "{a}", "{second}": "{b}"}}'


def _seconds(value: int) -> str:
    return f'{{"seconds": {value}}}'


class _Ticket:
    """The row as the triggers keep it, plus the analytics they append."""

    def __init__(self, plan: TicketPlan, events: list[Row]) -> None:
        self.plan = plan
        self.id = plan.id
        self.status = "open"
        self.priority = plan.priority
        self.assignee: Any = None
        self.updated = self.last_message = plan.created
        self.first_response: int | None = None
        self.resolved: int | None = None
        self.closed: int | None = None
        self.events = events
        data = _pair("priority", plan.priority, "status", "open")
        events.append((self.id, "ticket_created", plan.visitor.user_id, data, ts(plan.created)))

    def update(self, t: int, at: datetime | None, actor: Any, changes: dict[str, Any]) -> None:
        """tickets_before_update, then tickets_log_changes (one UPDATE statement at time t)."""
        old_status = self.status
        new_status = changes.get("status", old_status)
        self.updated = t
        if new_status != old_status:
            if new_status not in _TRANSITIONS[old_status]:
                raise ValueError(f"plan moves ticket {self.id} from {old_status} to {new_status}")
            if new_status == "resolved":
                self.resolved = t
            elif new_status == "closed":
                self.closed = t
                self.resolved = self.resolved if self.resolved is not None else t
            elif old_status == "resolved":
                self.resolved = None
            self.status = new_status
            self._log_status(at or ts(t), actor, old_status)
        if "last_message_at" in changes:
            self.last_message = max(self.last_message, changes["last_message_at"])
        if "assignee_id" in changes and changes["assignee_id"] != self.assignee:
            self.assignee = changes["assignee_id"]
            assignee = "null" if self.assignee is None else f'"{self.assignee}"'
            self.events.append((self.id, "assigned", actor, f'{{"assignee_id": {assignee}}}', at or ts(t)))
        if "priority" in changes and changes["priority"] != self.priority:
            data = _pair("from", self.priority, "to", changes["priority"])
            self.priority = changes["priority"]
            self.events.append((self.id, "priority_changed", actor, data, at or ts(t)))
        if "first_response_at" in changes and self.first_response is None:
            self.first_response = changes["first_response_at"]
            seconds = _seconds(self.first_response - self.plan.created)
            self.events.append((self.id, "first_response", actor, seconds, ts(self.first_response)))

    def _log_status(self, at: datetime, actor: Any, old_status: str) -> None:
        add = self.events.append
        add((self.id, "status_changed", actor, _pair("from", old_status, "to", self.status), at))
        if self.status == "resolved":
            assert self.resolved is not None
            add((self.id, "resolved", actor, _seconds(self.resolved - self.plan.created), at))
        elif self.status == "closed":
            add((self.id, "closed", actor, "{}", at))
        elif old_status in ("resolved", "closed"):
            add((self.id, "reopened", actor, "{}", at))

    def message(self, t: int, at: datetime, sender_type: str, sender_id: Any, message_id: Any) -> None:
        """messages_before_insert, messages_after_insert (an UPDATE), messages_log_created."""
        if self.status == "closed":
            raise ValueError(f"plan writes to closed ticket {self.id}")
        changes: dict[str, Any] = {"last_message_at": t}
        if sender_type == "admin" and self.first_response is None:
            changes["first_response_at"] = t
        if sender_type == "customer" and self.status == "resolved":
            changes["status"] = "open"
        self.update(t, at, sender_id, changes)
        data = _pair("message_id", str(message_id), "sender_type", sender_type)
        self.events.append((self.id, "message_created", sender_id, data, at))

    def row(self) -> Row:
        p = self.plan
        opt = [None if v is None else ts(v) for v in (self.first_response, self.resolved, self.closed)]
        return (
            p.id,
            p.visitor.customer_id,
            p.subject,
            self.status,
            self.priority,
            self.assignee,
            ts(p.created),
            ts(self.updated),
            ts(self.last_message),
            *opt,
        )


def ticket_rows(plan: TicketPlan, messages: list[Row], events: list[Row]) -> Row:
    """Append the plan's messages and analytics events; return its tickets row."""
    ticket = _Ticket(plan, events)
    add = messages.append
    for action in plan.actions:
        if action[1] == MSG:
            t, _, sender_type, sender_id, content, message_id, client_id = action
            at = ts(t)
            ticket.message(t, at, sender_type, sender_id, message_id)
            add((message_id, plan.id, sender_type, sender_id, content, client_id, at))
        else:
            t, _, actor, column, value = action
            ticket.update(t, None, actor, {column: value})
    return ticket.row()
