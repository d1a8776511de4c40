"""Uploads never attached to a message are removed — hourly by `supadesk start`, or now by `supadesk
storage sweep` (through the Storage API, as against a hosted project) — and an upload old enough to
be swept can no longer be attached, so a sweep never races a message."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from postgrest.exceptions import APIError
from supabase import create_client
from tests.cli.clitools import invoke as supadesk
from tests.conftest import RunningServer, start_server, stop_server
from tests.functions.conftest import Actor, People
from tests.functions.test_edge_functions import BUCKET, PNG, attachment, invoke, invoke_error, new_ticket, upload


def _sql(db_url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    async def go() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(db_url)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(go())


def backdate(server: RunningServer, path: str, hours: float) -> None:
    """As if the visitor had uploaded `path` that many hours ago."""
    _sql(
        server.db_url,
        "update storage.objects set created_at = now() - make_interval(secs => $3) where bucket_id = $1 and name = $2",
        BUCKET,
        path,
        hours * 3600,
    )


def stored(server: RunningServer, path: str) -> bool:
    return bool(_sql(server.db_url, "select 1 from storage.objects where bucket_id = $1 and name = $2", BUCKET, path))


def send(actor: Actor, ticket_id: str, path: str) -> dict[str, object]:
    body = {
        "ticket_id": ticket_id,
        "content": "here",
        "client_id": str(uuid.uuid4()),
        "attachments": [attachment(path)],
    }
    sent: dict[str, object] = invoke(actor, "add-message", body)
    return sent


def test_an_upload_older_than_six_hours_can_no_longer_be_attached(server: RunningServer, people: People) -> None:
    visitor = people.visitor()
    ticket_id = new_ticket(visitor)["id"]
    path = upload(visitor, ticket_id)
    backdate(server, path, 7)
    client_id = str(uuid.uuid4())
    body = {"ticket_id": ticket_id, "content": "late", "client_id": client_id, "attachments": [attachment(path)]}
    status, error = invoke_error(visitor, "add-message", body)
    assert (status, error["code"]) == (400, "attachment_expired")
    assert not _sql(server.db_url, "select 1 from public.messages where client_id = $1", uuid.UUID(client_id))
    backdate(server, path, 5)  # younger than the window: it is attached
    assert len(send(visitor, ticket_id, path)["attachments"]) == 1  # type: ignore[arg-type]


def test_the_sweep_removes_only_old_unattached_uploads(server: RunningServer, people: People) -> None:
    visitor = people.visitor()
    ticket_id = new_ticket(visitor)["id"]
    fresh = upload(visitor, ticket_id, "fresh.png")  # maybe still being written about
    attached = upload(visitor, ticket_id, "attached.png")
    row = send(visitor, ticket_id, attached)["attachments"][0]  # type: ignore[index]
    abandoned = upload(visitor, ticket_id, "abandoned.png")
    for path in (attached, abandoned):
        backdate(server, path, 48)
    target = ("--api-url", server.api_url, "--service-key", server.service_role_key)

    listed = supadesk("storage", "sweep", "--dry-run", *target)
    assert listed.exit_code == 0, listed.output
    assert abandoned in listed.output and attached not in listed.output and fresh not in listed.output
    assert stored(server, abandoned)  # a dry run removes nothing

    swept = supadesk("storage", "sweep", *target)
    assert swept.exit_code == 0, swept.output
    assert "removed" in swept.output
    assert not stored(server, abandoned)
    assert stored(server, attached) and stored(server, fresh)
    # the attached file still downloads, for the visitor as before
    download = invoke(visitor, "get-signed-url", {"action": "download", "attachment_id": row["id"]})
    assert download["signed_url"]
    service = create_client(server.api_url, server.service_role_key)
    assert service.storage.from_(BUCKET).download(attached) == PNG


def test_only_the_service_role_may_list_and_not_younger_than_12_hours(server: RunningServer, people: People) -> None:
    visitor = people.visitor()
    with pytest.raises(APIError):
        visitor.client.rpc("unattached_uploads", {"older_than": "24 hours"}).execute()
    service = create_client(server.api_url, server.service_role_key)
    with pytest.raises(APIError) as refused:
        service.rpc("unattached_uploads", {"older_than": "2 hours"}).execute()
    assert refused.value.code == "22023" and "12 hours" in (refused.value.message or "")
    too_soon = supadesk(
        "storage", "sweep", "--older-than", "2", "--api-url", server.api_url, "--service-key", server.service_role_key
    )
    assert too_soon.exit_code == 2 and "12" in too_soon.output


@pytest.fixture
def sweeping_server(db_url: str, data_dir: Path, tmp_path: Path) -> Iterator[RunningServer]:
    """A second server on the same database and files, sweeping every half second."""
    running = start_server(db_url, data_dir, tmp_path / "server.log", env={"SUPADESK_STORAGE_SWEEP_EVERY": "0.5"})
    yield running
    stop_server(running)


def test_the_server_sweeps_by_itself(
    server: RunningServer, people: People, data_dir: Path, request: pytest.FixtureRequest
) -> None:
    visitor = people.visitor()
    ticket_id = new_ticket(visitor)["id"]
    abandoned = upload(visitor, ticket_id, "left-behind.png")
    version = _sql(server.db_url, "select version from storage.objects where name = $1", abandoned)[0]["version"]
    backdate(server, abandoned, 25)
    sweeping = request.getfixturevalue("sweeping_server")
    deadline = time.monotonic() + 20
    while "upload(s) never attached" not in sweeping.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert re.search(r"removed \d+ upload\(s\) never attached", sweeping.log()), sweeping.log()
    assert not stored(server, abandoned)
    assert not any((data_dir / "storage").rglob(f"*{version}*"))  # the file is gone too, not just its row
