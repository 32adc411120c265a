#!/usr/bin/env bash
# PostgreSQL: a throw-away cluster made afresh on every start (initdb), listening on 127.0.0.1 only,
# with a random password for the `imagingrepo` role and an `imagingrepo` database. Durability is
# traded for speed (fsync off): it holds test data only.
#   IMAGINGREPO_POSTGRES_PORT  port on 127.0.0.1 (default 45432)
# Exports IMAGINGREPO_POSTGRES (an Npgsql connection string).
source "$(dirname "$0")/common.sh"
ir_init postgres

PORT="${IMAGINGREPO_POSTGRES_PORT:-45432}"
PIDFILE="$STATE/postgres.pid"
LOG="$STATE/postgres.log" # the server's own log is <cluster>/run/postgres.log

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] || ir_die "PostgreSQL binaries not found under /usr/lib/postgresql"
  echo "$dir"
}

# The server refuses to run as root: under root it runs as the `postgres` account, which must be able
# to reach its folders. Where the repository path is closed to it (or too long for a socket path),
# the cluster lives under /tmp and is removed on stop.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_base() {
  if [ -f "$STATE/base" ]; then cat "$STATE/base"; else echo "$STATE"; fi
}

do_install() {
  ir_apt_ensure postgresql
}

do_start() {
  local t0 bin base password; t0="$(ir_now)"; bin="$(pg_bin)"
  ir_require_port_free "$PORT" IMAGINGREPO_POSTGRES_PORT
  do_stop >/dev/null 2>&1 || true
  base="$STATE"
  rm -f "$STATE/base"
  rm -rf "$base/data" "$base/run"
  mkdir -p "$base/data" "$base/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$base/data" "$base/run"
    # Also when the socket path would pass the 107-byte limit of a Unix socket address.
    if ! runuser -u postgres -- test -w "$base/data" || [ ${#base} -gt 80 ]; then
      rm -rf "$base/data" "$base/run"
      base="$(mktemp -d /tmp/imagingrepo-postgres.XXXXXX)"
      echo "$base" >"$STATE/base"
      mkdir -p "$base/data" "$base/run"
      chown postgres: "$base" "$base/data" "$base/run"
    fi
  fi
  password="$(ir_random 32)"
  printf '%s\n' "$password" >"$base/run/pwfile"
  chmod 600 "$base/run/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$base/run/pwfile"
  as_pg "$bin/initdb" -D "$base/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$LOG" 2>&1 || ir_fail_with_log "$LOG" "initdb failed"
  rm -f "$base/run/pwfile"
  cat >>"$base/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$base/run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  as_pg "$bin/pg_ctl" -D "$base/data" -l "$base/run/postgres.log" -w -t 60 start >/dev/null \
    || ir_fail_with_log "$base/run/postgres.log" "pg_ctl start failed"
  head -n 1 "$base/data/postmaster.pid" >"$PIDFILE"
  as_pg "$bin/psql" -h "$base/run" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
CREATE ROLE imagingrepo LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE imagingrepo OWNER imagingrepo;
SQL
  ir_log "ready on 127.0.0.1:$PORT after $(ir_elapsed "$t0") s"
  ir_emit_env "export IMAGINGREPO_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=imagingrepo;Password=$password;Database=imagingrepo'"
}

do_stop() {
  local base; base="$(cluster_base)"
  if ir_pid_running "$PIDFILE" && [ -d "$base/data" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$base/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  ir_stop_pid "$PIDFILE"
  if [ -f "$STATE/base" ]; then rm -rf "$base"; rm -f "$STATE/base"; fi
}

do_status() {
  if ir_pid_running "$PIDFILE"; then echo "postgres: running (PID $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; return 0; fi
  echo "postgres: stopped"; return 1
}

ir_main "$@"
