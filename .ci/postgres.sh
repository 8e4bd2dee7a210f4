#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the store contract tests and exports
# NAS_TEST_POSTGRES_URL/_USER. Source it: `. .ci/postgres.sh`; the server stops when the shell exits.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${NAS_TEST_POSTGRES_PORT:-55432}
PG_DATA=$(mktemp -d /tmp/nas-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$PG_DATA"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
as_pg "$PG_BIN/initdb" -D "$PG_DATA/db" -A trust -U nas >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA/db" -l "$PG_DATA/log" -w \
  -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
trap 'as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA/db" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PG_DATA"' EXIT
export NAS_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
export NAS_TEST_POSTGRES_USER=nas
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT for the store tests"
