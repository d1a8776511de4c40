"""The replication connection of the change capture (pgwire.py): password authentication against
a real PostgreSQL (SCRAM-SHA-256, md5, a wrong password), and SCRAM against RFC 7677's example."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from tests.realtime import rt_cluster

from supadesk.server.realtime.pgwire import PgError, WireConnection
from supadesk.server.realtime.scram import ScramClient

REPLICATION = {"replication": "database", "application_name": "supadesk_test"}


def test_scram_matches_rfc_7677() -> None:
    client = ScramClient("pencil", nonce="rOprNGfwEbeRWgbNEkqO", user="user")
    assert client.first_message() == b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    final = client.final_message(
        b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    )
    assert final == (
        b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    )
    client.verify(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")


@pytest.fixture(scope="module")
async def password_roles(private_cluster: rt_cluster.Cluster) -> dict[str, str]:
    """Two replication roles that must give a password: one stored as SCRAM, one as md5."""
    names = {"scram": f"rt_scram_{uuid.uuid4().hex[:6]}", "md5": f"rt_md5_{uuid.uuid4().hex[:6]}"}
    conn = await asyncpg.connect(private_cluster.url())
    try:
        for method, role in names.items():
            encryption = "scram-sha-256" if method == "scram" else "md5"
            await conn.execute(f"set password_encryption = '{encryption}'")
            await conn.execute(f"create role {role} login replication password 'secret-{method}'")
    finally:
        await conn.close()
    hba = private_cluster.data / "pg_hba.conf"
    lines = "".join(
        f"host {db} {role} 127.0.0.1/32 {'scram-sha-256' if method == 'scram' else 'md5'}\n"
        for method, role in names.items()
        for db in ("all", "replication")
    )
    hba.write_text(lines + hba.read_text())  # first match wins: before the trust lines
    private_cluster.pg_ctl("reload")
    return names


def url_for(cluster: rt_cluster.Cluster, role: str, password: str) -> str:
    return f"postgresql://{role}:{password}@127.0.0.1:{cluster.port}/postgres?sslmode=disable"


@pytest.mark.parametrize("method", ["scram", "md5"])
async def test_a_replication_connection_authenticates_with_a_password(
    private_cluster: rt_cluster.Cluster, password_roles: dict[str, str], method: str
) -> None:
    url = url_for(private_cluster, password_roles[method], f"secret-{method}")
    conn = await WireConnection.connect(url, REPLICATION, 30)
    try:
        rows = await conn.query("IDENTIFY_SYSTEM")
        assert rows and rows[0][0] and str(rows[0][0]).isdigit()  # the system identifier
    finally:
        conn.close()


async def test_a_wrong_password_is_refused_with_the_servers_error(
    private_cluster: rt_cluster.Cluster, password_roles: dict[str, str]
) -> None:
    url = url_for(private_cluster, password_roles["scram"], "not-the-password")
    with pytest.raises(PgError) as refused:
        await WireConnection.connect(url, REPLICATION, 30)
    assert refused.value.sqlstate == "28P01"
