#!/usr/bin/env bash
# Ceph RADOS Gateway (S3), what CHAIMELEON runs: one monitor, one bluestore OSD on a sparse 4 GiB file
# and radosgw (beast) on 127.0.0.1, without systemd, cephadm or a manager. A fresh cluster with a
# fresh S3 user and random keys is made on every start; its state lies under the state folder.
#   IMAGINGREPO_S3_PORT         radosgw port on 127.0.0.1 (default 47480)
#   IMAGINGREPO_CEPH_MON_PORT   monitor msgr2 port (default 43300; msgr1 uses IMAGINGREPO_CEPH_MON_V1_PORT, 46789)
# Exports IMAGINGREPO_S3_ENDPOINT, IMAGINGREPO_S3_ACCESS_KEY, IMAGINGREPO_S3_SECRET_KEY.
source "$(dirname "$0")/common.sh"
ir_init ceph

RGW_PORT="${IMAGINGREPO_S3_PORT:-47480}"
MON_PORT="${IMAGINGREPO_CEPH_MON_PORT:-43300}"
MON_V1_PORT="${IMAGINGREPO_CEPH_MON_V1_PORT:-46789}"
CONF="$STATE/ceph.conf"
LOG="$STATE/start.log"
# Daemons in the order they are stopped.
DAEMONS=(client.rgw.s3 osd.0 mon.a)

do_install() {
  ir_apt_ensure ceph-mon ceph-osd radosgw ceph-common curl
}

write_conf() {
  local fsid="$1"
  cat >"$CONF" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_V1_PORT]
mon initial members = a
public addr = 127.0.0.1
public network = 127.0.0.1/32
cluster network = 127.0.0.1/32
# A single-user test cluster on loopback: no cephx. The monitor still needs a client mode that
# clients without keys accept.
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms mon client mode = crc secure
mon warn on insecure global id reclaim allowed = false
ms bind ipv6 = false
ms bind ipv4 = true
run dir = $STATE/run
admin socket = $STATE/run/\$cluster-\$name.asok
pid file = $STATE/run/\$cluster-\$name.pid
log file = $STATE/log/\$cluster-\$name.log
mon data = $STATE/mon/\$cluster-\$id
osd data = $STATE/osd/\$cluster-\$id
# Bluestore on a sparse file: memstore would lose everything on a restart.
osd objectstore = bluestore
bluestore block path = $STATE/osd/block.img
bluestore block create = true
bluestore block size = 4294967296
bluestore fsck on mount = false
osd memory target = 939524096
# One OSD: size 1, few placement groups, and a raised per-OSD PG limit for RGW's many pools.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon osd nearfull ratio = .97
mon osd backfillfull ratio = .98
mon osd full ratio = .99
osd failsafe full ratio = .995
mon data avail warn = 1
mon data avail crit = 0
[client.rgw.s3]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $STATE/rgw
rgw dns name = localhost
rgw enable usage log = false
rgw thread pool size = 64
CONF
}

do_start() {
  local t0 fsid osd_uuid osd_id access secret; t0="$(ir_now)"
  ir_require_port_free "$RGW_PORT" IMAGINGREPO_S3_PORT
  ir_require_port_free "$MON_PORT" IMAGINGREPO_CEPH_MON_PORT
  ir_require_port_free "$MON_V1_PORT" IMAGINGREPO_CEPH_MON_V1_PORT
  do_stop >/dev/null 2>&1 || true
  rm -rf "$STATE/run" "$STATE/log" "$STATE/mon" "$STATE/osd" "$STATE/rgw" "$STATE/monmap" "$STATE/env"
  mkdir -p "$STATE/run" "$STATE/log" "$STATE/mon" "$STATE/osd" "$STATE/rgw"
  : >"$LOG"
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  write_conf "$fsid"

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_V1_PORT]" \
    "$STATE/monmap" >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "monmaptool failed"
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$STATE/monmap" >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "ceph-mon --mkfs failed"
  ceph-mon -c "$CONF" -i a >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "ceph-mon did not start"

  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  osd_id="$(timeout 60 ceph -c "$CONF" osd new "$osd_uuid" 2>>"$LOG")" || ir_fail_with_log "$LOG" "ceph osd new failed"
  [ "$osd_id" = 0 ] || ir_die "expected OSD id 0, got '$osd_id'"
  mkdir -p "$STATE/osd/ceph-0"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "ceph-osd --mkfs failed"
  ceph-osd -c "$CONF" -i 0 >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "ceph-osd did not start"
  radosgw -c "$CONF" -n client.rgw.s3 >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "radosgw did not start"

  access="$(ir_random 20 | tr 'a-f' 'A-F')"
  secret="$(ir_random 40)"
  timeout 120 radosgw-admin -c "$CONF" user create --uid=imagingrepo --display-name="ImagingRepo tests" \
    --access-key="$access" --secret-key="$secret" >>"$LOG" 2>&1 || ir_fail_with_log "$LOG" "radosgw-admin user create failed"

  ir_wait_http "http://127.0.0.1:$RGW_PORT/" 120 '200|403' "$STATE/run/ceph-client.rgw.s3.pid" \
    || ir_fail_with_log "$STATE/log/ceph-client.rgw.s3.log" "radosgw did not answer on 127.0.0.1:$RGW_PORT"
  ir_log "ready on 127.0.0.1:$RGW_PORT after $(ir_elapsed "$t0") s"
  ir_emit_env \
    "export IMAGINGREPO_S3_ENDPOINT=http://127.0.0.1:$RGW_PORT" \
    "export IMAGINGREPO_S3_ACCESS_KEY=$access" \
    "export IMAGINGREPO_S3_SECRET_KEY=$secret"
}

do_stop() {
  local daemon
  # radosgw first (it holds OSD sessions), then the OSD, then the monitor.
  for daemon in "${DAEMONS[@]}"; do
    ir_stop_pid "$STATE/run/ceph-$daemon.pid" 20
  done
}

do_status() {
  local daemon down=()
  for daemon in "${DAEMONS[@]}"; do
    ir_pid_running "$STATE/run/ceph-$daemon.pid" || down+=("$daemon")
  done
  if [ ${#down[@]} -eq 0 ]; then echo "ceph: running (mon.a, osd.0, rgw on 127.0.0.1:$RGW_PORT)"; return 0; fi
  echo "ceph: not running (${down[*]} down)"; return 1
}

ir_main "$@"
