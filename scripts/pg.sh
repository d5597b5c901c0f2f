#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the tests: scripts/pg.sh start|stop|env
# Runs as the postgres user (initdb refuses root) in a data directory outside /root, on loopback only.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${CHAOS_PG_PORT:-55432}
PG_DIR=${CHAOS_PG_DIR:-/var/tmp/chaosmodular-pg-$PG_PORT}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    if [ ! -x "$PG_BIN/initdb" ]; then
      echo "PostgreSQL 15 server binaries are missing; installing postgresql-15" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
      echo "PostgreSQL already running on port $PG_PORT"
      exit 0
    fi
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 start \
      -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    echo "PostgreSQL started on 127.0.0.1:$PG_PORT ($PG_DIR)"
    ;;
  stop)
    if [ -d "$PG_DIR" ]; then
      as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$PG_DIR"
      echo "PostgreSQL stopped"
    fi
    ;;
  env)
    echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres"
    ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
