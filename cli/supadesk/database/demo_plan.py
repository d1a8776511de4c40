"""The demo's story, decided by one seeded random generator: when tickets arrive, who writes what,
and which agent does what to the ticket — as a list of actions per ticket.

Pure and deterministic: the same seed, ticket count and clock give the same plans. Times are whole
UTC epoch seconds. `demo_rows` turns a plan into the rows the triggers would have produced; the
tests replay the same actions through the real triggers to prove the two agree.

Actions, in time order, strictly increasing:
  (t, MSG, sender_type, sender_id, content, message_id, client_id)   a message insert
  (t, SET, actor_id, column, value)                                  an agent's ticket update
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from asyncpg.pgproto.pgproto import UUID

from supadesk.database import demo_text as text

MSG = 0
SET = 1
DAY = 86_400
HOUR = 3_600
WINDOW_DAYS = 90
PRIORITIES = ("low", "normal", "high", "urgent")
_PRIORITY_CUM = tuple(accumulate((0.2, 0.55, 0.18, 0.07)))
# Median seconds until an agent answers (first response, later replies), by priority.
_FIRST_RESPONSE_S = {"low": 5 * HOUR, "normal": 2 * HOUR, "high": 40 * 60, "urgent": 15 * 60}
_REPLY_S = {"low": 2 * HOUR, "normal": HOUR, "high": 25 * 60, "urgent": 10 * 60}
# Agents' working hours (UTC seconds of day) by weekday, Monday first; Sunday nobody works.
_WINDOWS = ((7 * HOUR, 20 * HOUR),) * 5 + ((9 * HOUR, 14 * HOUR), (0, 0))
# Ticket arrivals by UTC hour: quiet nights, busy European afternoons / American mornings.
_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 9, 9, 10, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1)
_WEEKDAY_WEIGHTS = (1.15, 1.05, 1.0, 1.0, 0.9, 0.45, 0.35)
# Outcomes of the intended lifecycle; the clock may stop a ticket before it gets there.
# backlog: the customer wrote back and the ticket waits, open, for an agent.
_OUTCOMES = ("resolved", "abandoned", "backlog", "spam")
_OUTCOME_CUM = tuple(accumulate((0.84, 0.07, 0.05, 0.04)))
_TOPIC_CUM = tuple(accumulate(text.TOPIC_WEIGHTS))
_V4_MASK = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_V4_BITS = (0x4 << 76) | (0x2 << 62)
DEMO_NAMESPACE = uuid.UUID("6f0b2a5e-3c1d-4d8e-9a57-5d2f1e7c9b30")


@dataclass(frozen=True)
class Staff:
    id: UUID | str  # str when it comes from the API
    email: str
    display_name: str
    role: str  # admin | agent
    weight: float  # share of tickets this person handles


@dataclass(slots=True)
class Visitor:
    user_id: UUID
    customer_id: UUID
    email: str
    name: str | None
    first_name: str
    created: int


@dataclass(slots=True)
class TicketPlan:
    id: UUID
    visitor: Visitor
    subject: str
    priority: str
    created: int
    actions: list[tuple[Any, ...]] = field(default_factory=list)


def batch_marker(seed: int) -> UUID:
    """The auth user id of a batch's first visitor: its presence means this seed is loaded."""
    return UUID(uuid.uuid5(DEMO_NAMESPACE, f"demo-batch:{seed}").bytes)


def staff_id(email: str) -> UUID:
    return UUID(uuid.uuid5(DEMO_NAMESPACE, f"staff:{email}").bytes)


class DemoPlanner:
    """Yields ticket plans oldest first (so `number` follows `created_at`), with their new visitors."""

    def __init__(
        self, *, seed: int, tickets: int, anchor: int, staff: list[Staff], messages_per_ticket: float = 10.0
    ) -> None:
        if not any(s.role == "admin" for s in staff) or not any(s.role == "agent" for s in staff):
            raise ValueError("the demo needs an admin and at least one agent")
        self.rng = random.Random(seed)
        self.seed = seed
        self.total = tickets
        self.anchor = anchor
        self.admin = next(s for s in staff if s.role == "admin")
        self.agents = [s for s in staff if s.role == "agent"]
        self.agent_cum = list(accumulate(s.weight for s in self.agents))
        self.conversation_mean = max(2.0, messages_per_ticket - 0.6)
        self.times = self._arrival_times()
        self.visitors: list[Visitor] = []
        self.index = 0

    # -- identities -----------------------------------------------------------------------

    def new_id(self) -> UUID:
        return UUID(((self.rng.getrandbits(128) & _V4_MASK) | _V4_BITS).to_bytes(16, "big"))

    def _new_visitor(self, first_ticket_at: int) -> Visitor:
        rng = self.rng
        first, first_slug = rng.choice(text.FIRST_NAMES)
        last, last_slug = rng.choice(text.LAST_NAMES)
        style = rng.random()
        local = f"{first_slug}.{last_slug}" if style < 0.5 else f"{first_slug[0]}{last_slug}"
        if style > 0.75:
            local += str(rng.randrange(1, 99))
        user_id = batch_marker(self.seed) if not self.visitors else self.new_id()
        visitor = Visitor(
            user_id=user_id,
            customer_id=self.new_id(),
            email=f"{local}@{rng.choice(text.DOMAINS)}",
            name=f"{first} {last}" if rng.random() < 0.85 else None,
            first_name=first,
            created=first_ticket_at - rng.randrange(20, 600),
        )
        self.visitors.append(visitor)
        return visitor

    def _visitor_for(self, created: int) -> tuple[Visitor, bool]:
        rng = self.rng
        if self.visitors and rng.random() < 0.3:
            regulars = max(1, len(self.visitors) // 30)
            pool = self.visitors[:regulars] if rng.random() < 0.5 else self.visitors
            return rng.choice(pool), False
        return self._new_visitor(created), True

    # -- time -----------------------------------------------------------------------------

    def _arrival_times(self) -> list[int]:
        rng = self.rng
        today = self.anchor // DAY * DAY
        latest = self.anchor - 120
        weights = []
        for back in range(WINDOW_DAYS):
            weekday = ((today - back * DAY) // DAY + 3) % 7
            weights.append(_WEEKDAY_WEIGHTS[weekday] * (0.7 + 0.5 * (WINDOW_DAYS - back) / WINDOW_DAYS))
        days = rng.choices(range(WINDOW_DAYS), weights=weights, k=self.total)
        hours = rng.choices(range(24), weights=_HOUR_WEIGHTS, k=self.total)
        times = []
        for back, hour in zip(days, hours, strict=True):
            t = today - back * DAY + hour * HOUR + rng.randrange(HOUR)
            if t > latest:  # not yet happened today: the same time of day on an earlier day
                t -= DAY * (1 + rng.randrange(WINDOW_DAYS - 1))
            times.append(t)
        times.sort()
        return times

    def business(self, t: int) -> int:
        """`t` if an agent is working then, else the start of the next shift (plus a little)."""
        for _ in range(8):
            day = t // DAY
            second = t - day * DAY
            start, end = _WINDOWS[(day + 3) % 7]
            if start <= second < end:
                return t
            if second < start:
                return day * DAY + start + self.rng.randrange(1800)
            t = (day + 1) * DAY
        return t

    def lognormal(self, median: float, sigma: float, low: int = 30, high: int = 5 * DAY) -> int:
        return int(min(max(median * math.exp(self.rng.gauss(0.0, sigma)), low), high))

    # -- plans ----------------------------------------------------------------------------

    def next_batch(self, size: int) -> list[tuple[TicketPlan, Visitor | None]]:
        """The next `size` tickets (fewer at the end), each with its visitor if that is new."""
        batch = []
        for _ in range(min(size, self.total - self.index)):
            batch.append(self._plan(self.index))
            self.index += 1
        return batch

    def _plan(self, index: int) -> tuple[TicketPlan, Visitor | None]:
        rng = self.rng
        created = self.times[index]
        visitor, is_new = self._visitor_for(created)
        topic = rng.choices(text.TOPICS, cum_weights=_TOPIC_CUM)[0]
        outcome, forced_priority = self._forced(index)
        priority = forced_priority or rng.choices(PRIORITIES, cum_weights=_PRIORITY_CUM)[0]
        plan = TicketPlan(self.new_id(), visitor, text.fill(rng.choice(topic.subjects), rng), priority, created)
        story = _Story(self, plan, outcome or rng.choices(_OUTCOMES, cum_weights=_OUTCOME_CUM)[0])
        story.tell(text.fill(rng.choice(topic.openers), rng), may_change_priority=forced_priority is None)
        plan.actions = [a for a in story.actions if a[0] <= self.anchor]
        return plan, visitor if is_new else None

    def _forced(self, index: int) -> tuple[str | None, str | None]:
        """With 4+ tickets, every final status and priority occurs at least once."""
        if self.total < 4:
            return None, None
        last = self.total - 1
        forced = {0: "resolved_kept", 1: "closed", self.total // 2: "abandoned", last: "fresh"}
        priority = PRIORITIES[index] if index < 3 else ("urgent" if index == last else None)
        return forced.get(index), priority


class _Story:
    """One ticket's intended lifecycle, written as actions (the planner cuts it at the clock)."""

    def __init__(self, planner: DemoPlanner, plan: TicketPlan, outcome: str) -> None:
        self.p = planner
        self.rng = planner.rng
        self.plan = plan
        self.outcome = outcome
        self.actions: list[tuple[Any, ...]] = []
        self.t = plan.created
        self.status = "open"
        self.assignee: Staff | None = None
        self.last_sender = "customer"

    # primitives
    def _at(self, t: int) -> int:
        self.t = max(t, self.t + 1)
        return self.t

    def say(self, sender: str, content: str, t: int) -> None:
        sender_id = self.plan.visitor.user_id if sender == "customer" else self._agent().id
        self.actions.append((self._at(t), MSG, sender, sender_id, content, self.p.new_id(), self.p.new_id()))
        self.last_sender = sender
        if sender == "customer" and self.status == "resolved":
            self.status = "open"  # the trigger reopens it

    def set(self, column: str, value: Any, t: int, actor: Staff | None = None) -> None:
        who = actor or self._agent()
        self.actions.append((self._at(t), SET, who.id, column, value))
        if column == "status":
            self.status = value
        elif column == "assignee_id":
            self.assignee = next(s for s in (self.p.admin, *self.p.agents) if s.id == value)

    def _agent(self) -> Staff:
        return self.assignee or self.p.admin

    def _pick_agent(self) -> Staff:
        return self.rng.choices(self.p.agents, cum_weights=self.p.agent_cum)[0]

    def _reply_at(self, first: bool = False) -> int:
        table = _FIRST_RESPONSE_S if first else _REPLY_S
        return self.p.business(self.t + self.p.lognormal(table[self.plan.priority], 0.9))

    def _customer_at(self) -> int:
        return self.t + self.p.lognormal(40 * 60, 1.3, high=3 * DAY)

    # the story
    def tell(self, opener: str, may_change_priority: bool) -> None:
        rng = self.rng
        self.say("customer", opener, self.plan.created)
        if self.outcome == "fresh":
            return
        first_reply = self._reply_at(first=True)
        if first_reply - self.t > 6 * HOUR and rng.random() < 0.35:
            self.say("customer", rng.choice(text.CUSTOMER_NUDGES), self.t + (first_reply - self.t) // 2)
        if rng.random() < 0.25:  # the admin triages and assigns before anyone answers
            self.set("assignee_id", self._pick_agent().id, min(self.t + 300, first_reply - 60), self.p.admin)
        else:
            agent = self._pick_agent()
            self.set("assignee_id", agent.id, first_reply - rng.randrange(5, 60), agent)
        if may_change_priority and rng.random() < 0.08:
            self._change_priority(first_reply - 2)
        name = self.plan.visitor.first_name
        if self.outcome == "spam":
            self.say("admin", rng.choice(text.AGENT_SPAM_CLOSE), first_reply)
            self.set("status", "closed", self.t + rng.randrange(5, 120))
            return
        self.say("admin", rng.choice(text.AGENT_FIRST_REPLIES).format(name=name), first_reply)
        self._converse(self._length())
        if self.outcome == "abandoned":
            self._wait_for_customer()
            return
        if self.outcome == "backlog":
            if self.last_sender == "admin":
                self.say("customer", rng.choice(text.CUSTOMER_FOLLOW_UPS), self._customer_at())
            if self.status == "pending":
                self.set("status", "open", self.t + rng.randrange(60, 3600))
            return
        self._resolve()
        if rng.random() < 0.1:
            self.say("customer", rng.choice(text.CUSTOMER_REOPENS), self.t + self.p.lognormal(DAY, 0.8, HOUR))
            self._converse(2 + rng.randrange(3))
            self._resolve()
        if self.outcome != "resolved_kept" and (self.outcome == "closed" or rng.random() < 0.6):
            self.set("status", "closed", self.t + rng.randrange(2 * DAY, 7 * DAY))

    def _length(self) -> int:
        mean = self.p.conversation_mean
        return 2 + int(self.rng.gammavariate(2.0, max(mean - 2.0, 0.1) / 2.0) + 0.5)

    def _change_priority(self, t: int) -> None:
        i = PRIORITIES.index(self.plan.priority)
        new = PRIORITIES[min(i + 1, 3)] if i < 2 or self.rng.random() < 0.5 else PRIORITIES[i - 1]
        if new != self.plan.priority:
            self.set("priority", new, t)

    def _converse(self, length: int) -> None:
        rng = self.rng
        for _ in range(max(length - 2, 0)):
            if self.last_sender == "admin" and rng.random() > 0.12:
                self.say("customer", rng.choice(text.CUSTOMER_FOLLOW_UPS), self._customer_at())
                continue
            t = self._reply_at() if self.last_sender == "customer" else self.t + rng.randrange(60, 600)
            if self.status == "pending":
                self.set("status", "open", t - 20)
            if rng.random() < 0.04 and self.assignee is not None:  # handed over to a colleague
                self.set("assignee_id", self._pick_agent().id, t - 10, self.p.admin)
            asks = rng.random() < 0.3
            self.say("admin", rng.choice(text.AGENT_QUESTIONS if asks else text.AGENT_FOLLOW_UPS), t)
            if asks and rng.random() < 0.5:
                self.set("status", "pending", self.t + rng.randrange(5, 90))

    def _wait_for_customer(self) -> None:
        if self.last_sender != "admin":
            self.say("admin", self.rng.choice(text.AGENT_QUESTIONS), self._reply_at())
        if self.status != "pending":
            self.set("status", "pending", self.t + self.rng.randrange(5, 90))

    def _resolve(self) -> None:
        rng = self.rng
        if self.last_sender == "admin" and rng.random() < 0.7:
            self.say("customer", rng.choice(text.CUSTOMER_THANKS), self._customer_at())
        if self.last_sender == "customer":
            if self.status == "pending":
                self.set("status", "open", self._reply_at() - 20)
            self.say("admin", rng.choice(text.AGENT_WRAP_UPS), self._reply_at())
        self.set("status", "resolved", self.t + rng.randrange(10, 1800))
