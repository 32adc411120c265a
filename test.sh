#!/usr/bin/env bash
# Builds ImagingRepo and runs every test against real servers on 127.0.0.1.
#
#  1. installs (idempotently, quietly) the Debian and npm packages the servers and tests need,
#     while restoring and building the solution (Release); then packs it (dotnet pack, into
#     .services/test-run/packages) and publishes the CLI;
#  2. in a loopback-only network namespace (unshare -n): starts PostgreSQL, Ceph RGW, oidc-provider,
#     Hardhat and Orthanc in parallel with scripts/services/*.sh, exports their variables, runs
#     `dotnet test ImagingRepo.sln -c Release --no-build`, and stops every server it started by PID,
#     also when tests fail or the run is interrupted;
#  3. prints the totals on its last line and exits non-zero on any failure.
#
# Needs root (apt and the network namespace). Servers started here keep their state in
# .services/test-run, apart from any a developer started by hand (.services/<name>).
# Environment: TEST_FILTER (a dotnet test --filter expression), TEST_SERVICES (space-separated subset
# of the servers), CI=true (a missing server fails its tests instead of skipping them).
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"

SERVICES=(${TEST_SERVICES:-postgres ceph oidc hardhat orthanc})
# Peer tools used by the tests (DICOM codec comparisons) beside what the servers install themselves.
APT_PACKAGES=(dcmtk libgdcm-tools python3-pydicom dicom3tools iproute2 util-linux curl)
# The inference tests build their small ONNX models with python3-onnx at test time.
APT_PACKAGES+=(python3-onnx)
# The system codecs ImagingRepo.Dicom loads at run time for JPEG-LS and JPEG 2000 pixel data.
APT_PACKAGES+=(libcharls2 libopenjp2-7)
# Pillow reads the PNGs the imaging tests render (pydicom's NumPy comes with python3-pydicom).
APT_PACKAGES+=(python3-pil python3-numpy)
# The C toolchain that native AOT links the CLI's native front with (scripts/publish-cli.sh).
APT_PACKAGES+=(clang zlib1g-dev)
# rdflib reads the service's DCAT-AP Turtle and JSON-LD back in its catalogue tests.
APT_PACKAGES+=(python3-rdflib)

# The shared standard tables, corpus and reference specs lie next to the repository (../shared). A clone made elsewhere
# (git clone REPO /tmp/x) finds them next to the repository it was cloned from, when that is a folder on this machine.
if [ -z "${IMAGINGREPO_SHARED:-}" ] && [ ! -d "$ROOT/../shared" ]; then
  origin=$(git -C "$ROOT" config --get remote.origin.url 2>/dev/null || true); origin=${origin#file://}
  if [ -n "$origin" ] && [ -d "$origin/../shared" ]; then
    export IMAGINGREPO_SHARED="$(cd "$origin/../shared" && pwd)"
    echo "test.sh: the shared data of $origin: $IMAGINGREPO_SHARED"
  fi
fi

export IMAGINGREPO_SERVICES_TOOLS="${IMAGINGREPO_SERVICES_TOOLS:-$ROOT/.services/tools}"
export IMAGINGREPO_SERVICES_DIR="${IMAGINGREPO_TEST_SERVICES_DIR:-$ROOT/.services/test-run}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
RUN_LOGS="$IMAGINGREPO_SERVICES_DIR/logs"

source "$ROOT/scripts/services/common.sh"
ir_init test-run

stamp() { printf '\n==> %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

stop_services() {
  local s
  for s in "${SERVICES[@]}"; do
    "$ROOT/scripts/services/$s.sh" stop >/dev/null 2>&1 || echo "warning: stopping $s failed" >&2
  done
}

# ---------------------------------------------------------------------------------------------------
# Inside the namespace: start the servers, run the tests, stop the servers.
# ---------------------------------------------------------------------------------------------------
inside() {
  local isolated="$1" s pid failed=() t0
  if [ "$isolated" = yes ]; then ip link set lo up; fi
  trap stop_services EXIT
  trap 'exit 130' INT TERM

  stamp "starting ${SERVICES[*]} in parallel"
  t0=$(date +%s)
  mkdir -p "$RUN_LOGS"
  declare -A pids
  for s in "${SERVICES[@]}"; do
    "$ROOT/scripts/services/$s.sh" start >"$RUN_LOGS/$s.env" 2>"$RUN_LOGS/$s.log" &
    pids[$s]=$!
  done
  for s in "${SERVICES[@]}"; do
    if wait "${pids[$s]}"; then
      grep -h 'ready' "$RUN_LOGS/$s.log" || true
      # shellcheck disable=SC1090
      source "$RUN_LOGS/$s.env"
    else
      failed+=("$s")
      echo "--- $s failed to start; its log:" >&2
      cat "$RUN_LOGS/$s.log" >&2
    fi
  done
  echo "servers started in $(seconds_since "$t0") s"
  if [ ${#failed[@]} -gt 0 ]; then
    echo "error: could not start: ${failed[*]}" >&2
    exit 1
  fi

  stamp "dotnet test"
  t0=$(date +%s)
  local args=(test ImagingRepo.sln -c Release --no-build --logger "console;verbosity=minimal")
  [ -n "${TEST_FILTER:-}" ] && args+=(--filter "$TEST_FILTER")
  set +e
  dotnet "${args[@]}" 2>&1 | tee "$RUN_LOGS/dotnet-test.log"
  local rc=${PIPESTATUS[0]}
  set -e
  echo "tests ran in $(seconds_since "$t0") s"
  return "$rc"
}

if [ "${1:-}" = "--inside" ]; then
  inside "$2"
  exit $?
fi

# ---------------------------------------------------------------------------------------------------
# Outside: install and build (these need the network), then enter the namespace.
# ---------------------------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || { echo "./test.sh needs root (apt and a network namespace); run it with sudo" >&2; exit 1; }
T_START=$(date +%s)
mkdir -p "$RUN_LOGS"
rm -f "$RUN_LOGS/dotnet-test.log"

stamp "installing packages (log: $RUN_LOGS/install.log) while building"
(
  set -e
  ir_apt_ensure "${APT_PACKAGES[@]}"
  # apt installs one after another; npm installs run beside them.
  npm_pids=()
  for s in hardhat oidc; do
    [[ " ${SERVICES[*]} " == *" $s "* ]] || continue
    "$ROOT/scripts/services/$s.sh" install & npm_pids+=($!)
  done
  for s in "${SERVICES[@]}"; do
    case "$s" in hardhat | oidc) ;; *) "$ROOT/scripts/services/$s.sh" install ;; esac
  done
  for p in "${npm_pids[@]}"; do wait "$p"; done
) >"$RUN_LOGS/install.log" 2>&1 &
INSTALL_PID=$!
trap 'kill "$INSTALL_PID" 2>/dev/null || true' INT TERM

T_BUILD=$(date +%s)
BUILD_RC=0
dotnet restore ImagingRepo.sln --nologo -v quiet && \
  dotnet build ImagingRepo.sln -c Release --no-restore --nologo -nodeReuse:false -clp:"Summary;ErrorsOnly" || BUILD_RC=$?
echo "restore + build: $(seconds_since "$T_BUILD") s (exit $BUILD_RC)"

INSTALL_RC=0
wait "$INSTALL_PID" || INSTALL_RC=$?
trap - INT TERM
if [ "$INSTALL_RC" -ne 0 ]; then
  cat "$RUN_LOGS/install.log" >&2
  echo "error: installing packages failed" >&2
  exit 1
fi
grep -h '\] \(apt\|npm\):' "$RUN_LOGS/install.log" || true
echo "install + build: $(seconds_since "$T_START") s"
[ "$BUILD_RC" -eq 0 ] || { echo "error: build failed" >&2; exit "$BUILD_RC"; }

# Every packable project must keep packing (a stable package on a prerelease dependency, NU5104, failed only at
# release time before): pack what the build above made, into the run's state folder.
T_PACK=$(date +%s)
stamp "dotnet pack"
rm -rf "$IMAGINGREPO_SERVICES_DIR/packages"
dotnet pack ImagingRepo.sln -c Release --no-build --nologo -o "$IMAGINGREPO_SERVICES_DIR/packages" >"$RUN_LOGS/pack.log" 2>&1 \
  || { cat "$RUN_LOGS/pack.log" >&2; echo "error: dotnet pack failed" >&2; exit 1; }
(cd "$IMAGINGREPO_SERVICES_DIR/packages" && ls -s --block-size=M -- *.nupkg)
echo "pack: $(seconds_since "$T_PACK") s"

# The CLI as users run it (native front + full tool), for the tests that run it as a process. Published out here:
# the ahead-of-time compiler's packages come from the network.
T_PUBLISH=$(date +%s)
stamp "publishing the CLI (scripts/publish-cli.sh)"
rm -rf "$IMAGINGREPO_SERVICES_DIR/cli"
scripts/publish-cli.sh "$IMAGINGREPO_SERVICES_DIR/cli" >"$RUN_LOGS/publish-cli.log" 2>&1 \
  || { cat "$RUN_LOGS/publish-cli.log" >&2; echo "error: publishing the CLI failed" >&2; exit 1; }
export IMAGINGREPO_NATIVE_CLI="$IMAGINGREPO_SERVICES_DIR/cli/imagingrepo"
echo "publish CLI: $(seconds_since "$T_PUBLISH") s"

# Orthanc binds 0.0.0.0: servers and tests share one namespace whose only interface is loopback.
trap stop_services EXIT
trap 'exit 130' INT TERM
TEST_RC=0
if unshare -n true 2>/dev/null; then
  unshare -n "$0" --inside yes || TEST_RC=$?
else
  echo "warning: no network namespace here (unshare -n failed): servers run on this host's loopback;" \
    "orthanc.sh isolates Orthanc with a namespace of its own and cannot start without one" >&2
  "$0" --inside no || TEST_RC=$?
fi

# The README's main command must keep working: run the Quickstart (embedded defaults, no servers).
stamp "samples/Quickstart"
QUICKSTART_DIR="$(mktemp -d)"
if ! dotnet run --project samples/Quickstart -c Release --no-build -- "$QUICKSTART_DIR/run"; then
  echo "error: samples/Quickstart failed" >&2
  TEST_RC=1
fi
rm -rf "$QUICKSTART_DIR"

# Totals over the assemblies (lines like "Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13").
read -r PASSED FAILED SKIPPED < <(awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
  }
  END { print p + 0, f + 0, s + 0 }' "$RUN_LOGS/dotnet-test.log" 2>/dev/null || echo "0 0 0")
echo "whole run: $(seconds_since "$T_START") s, exit $TEST_RC"
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ "$TEST_RC" -eq 0 ] && [ "$FAILED" -ne 0 ]; then TEST_RC=1; fi
exit "$TEST_RC"
