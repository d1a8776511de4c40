"""Fixtures for the /rest/v1 suite: two visitors with tickets, messages and attachments, an agent,
and service-role / anon clients, all against the session's `supadesk start`."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from supabase import Client
from tests.conftest import RunningServer
from tests.rest.helpers import Person, client_for, make_agent, make_visitor

from supadesk.keys import ProjectKeys


@dataclass
class World:
    server: RunningServer
    keys: ProjectKeys
    service: Client
    anon: Client
    agent: Person
    a: Person  # read-only: the read and RLS tests count A's and B's rows exactly
    b: Person
    c: Person  # the visitor whose tickets the write tests create and change


@pytest.fixture(scope="session")
def world(server: RunningServer, keys: ProjectKeys) -> World:
    return World(
        server=server,
        keys=keys,
        service=client_for(server, key=server.service_role_key),
        anon=client_for(server),
        agent=make_agent(server, keys),
        a=make_visitor(server, keys, tickets=3),
        b=make_visitor(server, keys, tickets=2),
        c=make_visitor(server, keys, tickets=1),
    )
