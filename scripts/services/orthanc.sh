#!/usr/bin/env bash
# Orthanc with the DICOMweb plugin (QIDO-RS, WADO-RS, STOW-RS) and DIMSE. Orthanc 1.10 always binds
# 0.0.0.0, so it never runs in a network namespace that has other interfaces than loopback:
#   - inside a loopback-only namespace (./test.sh runs servers and tests in one) it runs directly;
#   - anywhere else it runs in a namespace of its own (unshare -n) and socat forwards
#     127.0.0.1:PORT of the caller's namespace into it, so only loopback clients reach it.
# A fresh, empty store on every start.
#   IMAGINGREPO_ORTHANC_PORT        HTTP port (default 48042); DICOMweb is under /dicom-web
#   IMAGINGREPO_ORTHANC_DICOM_PORT  DIMSE port, AE title IMAGINGREPO (default 48104)
# Exports IMAGINGREPO_ORTHANC_URL, IMAGINGREPO_ORTHANC_DICOM_PORT, IMAGINGREPO_ORTHANC_AET.
source "$(dirname "$0")/common.sh"
ir_init orthanc

PORT="${IMAGINGREPO_ORTHANC_PORT:-48042}"
DICOM_PORT="${IMAGINGREPO_ORTHANC_DICOM_PORT:-48104}"
PIDFILE="$STATE/orthanc.pid"
FORWARD_PIDS="$STATE/forward"
LOG="$STATE/orthanc.log"
PLUGIN_DIR=/usr/share/orthanc/plugins

loopback_only() {
  [ "$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -vx lo | wc -l)" -eq 0 ]
}

do_install() {
  ir_apt_ensure orthanc orthanc-dicomweb iproute2 curl
  loopback_only || ir_apt_ensure socat util-linux
}

write_config() {
  cat >"$STATE/orthanc.json" <<JSON
{
  "Name": "ImagingRepo test PACS",
  "StorageDirectory": "$STATE/db",
  "IndexDirectory": "$STATE/db",
  "HttpPort": $PORT,
  "DicomPort": $DICOM_PORT,
  "DicomAet": "IMAGINGREPO",
  "DicomCheckCalledAet": false,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "HttpsVerifyPeers": true,
  "StableAge": 1,
  "ConcurrentJobs": 2,
  "Plugins": [ "$PLUGIN_DIR/libOrthancDicomWeb.so" ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "EnableWado": true, "Ssl": false, "StudiesMetadata": "Full", "SeriesMetadata": "Full" }
}
JSON
}

# forward PORT NSPID: 127.0.0.1:PORT here -> 127.0.0.1:PORT in the namespace of NSPID.
forward() {
  socat "TCP-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:nsenter -t $2 -n socat STDIO TCP\\:127.0.0.1\\:$1" </dev/null >>"$STATE/forward.log" 2>&1 &
  echo $! >>"$FORWARD_PIDS"
}

do_start() {
  local t0 pid; t0="$(ir_now)"
  ir_require_port_free "$PORT" IMAGINGREPO_ORTHANC_PORT
  ir_require_port_free "$DICOM_PORT" IMAGINGREPO_ORTHANC_DICOM_PORT
  do_stop >/dev/null 2>&1 || true
  rm -rf "$STATE/db"; mkdir -p "$STATE/db"; : >"$STATE/forward.log"
  write_config
  if loopback_only; then
    (exec Orthanc "$STATE/orthanc.json" </dev/null >"$LOG" 2>&1) &
    echo $! >"$PIDFILE"
    ir_wait_http "http://127.0.0.1:$PORT/system" 30 200 "$PIDFILE" \
      || { ir_stop_pid "$PIDFILE"; ir_fail_with_log "$LOG" "Orthanc did not answer on 127.0.0.1:$PORT"; }
  else
    [ "$(id -u)" -eq 0 ] || ir_die "this network namespace has interfaces besides loopback and Orthanc binds 0.0.0.0: run as root (for unshare -n), or run inside a loopback-only namespace"
    # unshare and sh exec into Orthanc, so $! is Orthanc's PID.
    (exec unshare -n sh -c "ip link set lo up && exec Orthanc '$STATE/orthanc.json'" </dev/null >"$LOG" 2>&1) &
    pid=$!
    echo "$pid" >"$PIDFILE"
    local i ok=
    for ((i = 0; i < 300; i++)); do
      if nsenter -t "$pid" -n curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/system" 2>/dev/null | grep -qx 200; then ok=1; break; fi
      ir_pid_running "$PIDFILE" || break
      sleep 0.1
    done
    [ -n "$ok" ] || { ir_stop_pid "$PIDFILE"; ir_fail_with_log "$LOG" "Orthanc did not answer inside its namespace"; }
    rm -f "$FORWARD_PIDS"
    forward "$PORT" "$pid"
    forward "$DICOM_PORT" "$pid"
    ir_wait_http "http://127.0.0.1:$PORT/system" 30 200 \
      || { do_stop; ir_fail_with_log "$STATE/forward.log" "the loopback forwarder to Orthanc does not work"; }
  fi
  ir_log "ready on 127.0.0.1:$PORT after $(ir_elapsed "$t0") s"
  ir_emit_env \
    "export IMAGINGREPO_ORTHANC_URL=http://127.0.0.1:$PORT" \
    "export IMAGINGREPO_ORTHANC_DICOM_PORT=$DICOM_PORT" \
    "export IMAGINGREPO_ORTHANC_AET=IMAGINGREPO"
}

do_stop() {
  local pid
  if [ -f "$FORWARD_PIDS" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done <"$FORWARD_PIDS"
    rm -f "$FORWARD_PIDS"
  fi
  ir_stop_pid "$PIDFILE" 15
}

do_status() {
  if ir_pid_running "$PIDFILE"; then echo "orthanc: running (PID $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; return 0; fi
  echo "orthanc: stopped"; return 1
}

ir_main "$@"
