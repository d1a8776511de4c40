"""A private, throwaway PostgreSQL 15 cluster for the realtime suite (wal_level=logical).

The shared server on 5432 is used by other suites whose long write transactions delay the
creation of logical replication slots; a private cluster also lets a test restart PostgreSQL.
As root, the cluster is owned by and run as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from supadesk.database.embedded import bin_dir


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Cluster:
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> None:
        log = str(self.root / "postgres.log")
        cmd = [str(bin_dir() / "pg_ctl"), "-D", str(self.data), "-l", log, "-w", "-t", "60", *args]
        subprocess.run(_as_postgres(cmd), check=True, capture_output=True)

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "restart")


def create(port: int, overrides: dict[str, str] | None = None) -> Cluster:
    """A started cluster; `overrides` replace settings (the benchmark wants durable commits)."""
    root = Path(tempfile.mkdtemp(prefix="sd_rt_pg_"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
    cluster = Cluster(root, port)
    initdb = [str(bin_dir() / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run(_as_postgres(initdb), check=True, capture_output=True)
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(port),
        "wal_level": "logical",
        "max_replication_slots": "20",
        "max_wal_senders": "20",
        "max_connections": "300",
        "unix_socket_directories": f"'{root}'",
        "fsync": "off",
        "synchronous_commit": "off",
        **(overrides or {}),
    }
    with open(cluster.data / "postgresql.auto.conf", "a") as conf:
        conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
    cluster.start()
    return cluster


def destroy(cluster: Cluster) -> None:
    try:
        cluster.stop()
    finally:
        shutil.rmtree(cluster.root, ignore_errors=True)
