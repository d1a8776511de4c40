"""The embedded PostgreSQL: a private cluster under `<data_dir>/pg`, made from the machine's own
PostgreSQL binaries (Debian's `postgresql-15`), used when no server answers and no URL was given.

It listens on 127.0.0.1:54322 and a unix socket inside its directory, with `wal_level=logical`
(the realtime server decodes the WAL). initdb refuses to run as root, so as root the cluster is
owned by and run as the `postgres` system user that the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path

PORT = int(os.environ.get("SUPADESK_EMBEDDED_PG_PORT", "54322"))
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "port": str(PORT),
    "wal_level": "logical",
    "max_replication_slots": "20",
    "max_wal_senders": "20",
    "max_connections": "200",
    "shared_buffers": "128MB",
    "fsync": "on",
}


class EmbeddedError(RuntimeError):
    pass


def bin_dir() -> Path:
    """The newest PostgreSQL server binaries on this machine."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise EmbeddedError("no PostgreSQL server binaries found (install Debian's postgresql package)")


def cluster_dir(data_dir: Path) -> Path:
    return data_dir / "pg"


def url() -> str:
    return f"postgresql://postgres@127.0.0.1:{PORT}/supadesk"


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as `postgres` when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def _chown_for_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for root, dirs, files in os.walk(path):
            for name in (*dirs, *files):
                os.chown(os.path.join(root, name), pw.pw_uid, pw.pw_gid)
        os.chown(path, pw.pw_uid, pw.pw_gid)


def init(data_dir: Path) -> Path:
    pgdata = cluster_dir(data_dir) / "data"
    if (pgdata / "PG_VERSION").is_file():
        return pgdata
    pgdata.mkdir(parents=True, exist_ok=True)
    _chown_for_postgres(cluster_dir(data_dir))
    initdb = str(bin_dir() / "initdb")
    cmd = [initdb, "-D", str(pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
    result = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise EmbeddedError(f"initdb failed: {result.stderr.strip().splitlines()[-1:]}")
    with open(pgdata / "postgresql.auto.conf", "a") as conf:
        for key, value in SETTINGS.items():
            conf.write(f"{key} = '{value}'\n")
        conf.write(f"unix_socket_directories = '{cluster_dir(data_dir)}'\n")
    return pgdata


def is_running(data_dir: Path) -> bool:
    pgdata = cluster_dir(data_dir) / "data"
    if not (pgdata / "PG_VERSION").is_file():
        return False
    cmd = _as_owner([str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "status"])
    return subprocess.run(cmd, capture_output=True, check=False).returncode == 0


def start(data_dir: Path) -> str:
    """Initialise (first time) and start the cluster; return its URL. Idempotent."""
    pgdata = init(data_dir)
    if not is_running(data_dir):
        log = cluster_dir(data_dir) / "postgres.log"
        cmd = [str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-w", "-t", "30", "start"]
        result = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise EmbeddedError(f"embedded PostgreSQL did not start; see {log}")
    return url()


def stop(data_dir: Path) -> bool:
    """Stop the cluster (fast shutdown). Returns False when it was not running."""
    if not is_running(data_dir):
        return False
    pgdata = cluster_dir(data_dir) / "data"
    cmd = [str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]
    subprocess.run(_as_owner(cmd), capture_output=True, check=False)
    return True
