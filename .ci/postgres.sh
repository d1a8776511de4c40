#!/usr/bin/env bash
# Make sure the machine's PostgreSQL answers on 127.0.0.1:5432 with wal_level=logical (the realtime
# server decodes the WAL). Starts the Debian cluster if it is down; restarts it once if the WAL level
# must change. Without a local server at all, supadesk falls back to its embedded cluster instead.
set -euo pipefail

PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAqX)
cluster_version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1 || true)

start_cluster() {
  [ -n "$cluster_version" ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main "$1" >/dev/null
}

if ! "${PSQL[@]}" -c 'select 1' >/dev/null 2>&1; then
  if [ -z "$cluster_version" ]; then
    echo "postgres: no local cluster; supadesk will use its embedded PostgreSQL"
    exit 0
  fi
  echo "postgres: starting cluster $cluster_version/main"
  start_cluster start
  for _ in $(seq 1 30); do "${PSQL[@]}" -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
fi

if [ "$("${PSQL[@]}" -c 'show wal_level')" != "logical" ] ||
   [ "$("${PSQL[@]}" -c 'show max_connections')" -lt 300 ]; then
  echo "postgres: setting wal_level=logical, max_connections=300 (restart)"
  "${PSQL[@]}" -c "alter system set wal_level = 'logical'" >/dev/null
  "${PSQL[@]}" -c "alter system set max_connections = 300" >/dev/null
  start_cluster restart
  for _ in $(seq 1 30); do "${PSQL[@]}" -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
fi
echo "postgres: ready on 127.0.0.1:5432 (wal_level=$("${PSQL[@]}" -c 'show wal_level'))"
