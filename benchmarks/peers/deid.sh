#!/usr/bin/env bash
# Whole-process timing of `imagingrepo deid` against cp -r, gdcmanon and a pydicom script on the synthetic corpora
# of benchmarks/peers/dicom-dump.sh (ct: 2,000 CT slices; small: 20,000 Basic Text SR files; mr-enh: 5 enhanced MR
# files of 300 frames).
#
#   benchmarks/peers/deid.sh                       # all corpora, median of 5 runs each
#   RUNS=3 CORPORA="ct small" benchmarks/peers/deid.sh
#   DICOM_BENCH_CACHE=/path/to/.cache/dicom-bench  # reuse corpora generated elsewhere
#   PEER_RUNS=1 PYDICOM_CORPORA="ct mr-enh"        # fewer peer runs; pydicom only where it finishes in minutes
#
# Ours: the Basic Profile with UIDs pseudonymized (2.25 HMAC UIDs, as the profile's U action) and dates shifted per
# patient (Retain Longitudinal Temporal Information with Modified Dates), receipts written, every file read, rewritten
# and hashed (SHA3-256). gdcmanon: its Basic Profile (-e, with a throw-away certificate). pydicom: a short script that
# reads each file, removes private tags, blanks ~25 identifying attributes, replaces UIDs with HMAC 2.25 UIDs and saves
# (far less than the profile: a floor for what Python costs, not a peer in correctness).
# Every tool reads its corpus once untimed first (warm cache). cp -r and ours run in turns, so that the machine's
# drift over minutes (30-50% on the development machine) falls on both alike; the peers run after them. Outputs go to
# a tmpfs (/dev/shm) by default, so that the figures measure the tools rather than the disk: this machine's root ext4
# has no journal, and creating files there within a minute of deleting thousands scans past every freed inode, which
# made identical runs differ 2-20x.
# DEID_BENCH_OUT=DIR writes them to DIR instead; between runs each output folder is then moved aside (untimed), not
# deleted, and the moved-aside folders are deleted at the end (the ct corpus needs about 18 GB of free disk for them).
# The last line is: deid ratio vs cp: ct=X small=Y mr-enh=Z   (our median / cp -r's median)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${DICOM_BENCH_CACHE:-$root/.cache/dicom-bench}
work=${DEID_BENCH_WORK:-$root/.cache/deid-bench}
runs=${RUNS:-5}
peer_runs=${PEER_RUNS:-$runs}
corpora=${CORPORA:-"ct small mr-enh"}
python=${PYTHON:-/usr/bin/python3}
cd "$root"
mkdir -p "$work"
# peak RSS comes from GNU time's %M (Debian package time); the shell keyword cannot report it
[ -x /usr/bin/time ] || { echo "deid.sh: /usr/bin/time is missing (apt install time)" >&2; exit 2; }
if [ -n "${DEID_BENCH_OUT:-}" ]; then
  outputs=$DEID_BENCH_OUT
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
  outputs=/dev/shm/imagingrepo-deid-bench
else
  outputs=$work
fi
case "$outputs" in /dev/shm/*) on_tmpfs=1 ;; *) on_tmpfs=0 ;; esac
trash="$outputs/trash"
rm -rf "$trash"
mkdir -p "$trash"
trap 'rm -rf "$trash" "$outputs/out" "$outputs/out-quarantine"' EXIT
echo "outputs in $outputs" >&2

source "$root/benchmarks/peers/common.sh"
ours=$(publish_cli "$work/publish")
ensure_corpora

# a throw-away project key and, for gdcmanon's Basic Profile, a throw-away certificate
[ -f "$work/project.key" ] || head -c 32 /dev/urandom | base64 > "$work/project.key"
if [ ! -f "$work/gdcm-cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/gdcm-key.pem" -out "$work/gdcm-cert.pem" -days 2 -subj /CN=deid-bench >/dev/null 2>&1
fi

pydeid="$work/pydicom-deid.py"
cat > "$pydeid" <<'PY'
import hashlib, hmac, os, sys
import pydicom
from pydicom.uid import UID

KEY = b"deid-bench-key-0123456789abcdef"
BLANK = [0x00100010, 0x00100020, 0x00100030, 0x00100040, 0x00080050, 0x00080090, 0x00200010, 0x00080020, 0x00080030]
REMOVE = [0x00080080, 0x00080081, 0x00081010, 0x00081040, 0x00081050, 0x00081070, 0x00101000, 0x00101001, 0x00101010,
          0x00101040, 0x00102154, 0x001021B0, 0x00104000, 0x00181000, 0x00321032, 0x00400275, 0x0008103E, 0x00081030]
UIDS = [0x00080018, 0x0020000D, 0x0020000E, 0x00200052]

def new_uid(value):
    digest = hmac.new(KEY, str(value).encode(), hashlib.sha256).digest()[:16]
    return UID("2.25." + str(int.from_bytes(digest, "big")))

source, target = sys.argv[1], sys.argv[2]
count = 0
for folder, dirs, files in os.walk(source):
    dirs.sort()
    for name in sorted(files):
        ds = pydicom.dcmread(os.path.join(folder, name))
        ds.remove_private_tags()
        for tag in BLANK:
            if tag in ds:
                ds[tag].value = ""
        for tag in REMOVE:
            if tag in ds:
                del ds[tag]
        for tag in UIDS:
            if tag in ds:
                ds[tag].value = new_uid(ds[tag].value)
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        out = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(out, exist_ok=True)
        ds.save_as(os.path.join(out, name), write_like_original=False)
        count += 1
print(f"deidentified {count} files")
PY

# Empties OUT (and OUT-quarantine): deleted on a tmpfs, moved into the trash folder on a disk (see the header).
discard() {
  local folder
  for folder in "$1" "$1-quarantine"; do
    if [ ! -e "$folder" ]; then continue; fi
    if [ "$on_tmpfs" = 1 ]; then rm -rf "$folder"; else mv "$folder" "$(mktemp -d "$trash/run.XXXXXX")/"; fi
  done
}

# Prints the median wall time (seconds) of N runs of a command, after one untimed warm-up run; OUT is moved aside
# (untimed) before every run.
median() {
  local n=$1 out=$2; shift 2
  discard "$out"; "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in $(seq "$n"); do
    times+=("$(time_once "$out" "$@")")
  done
  discard "$out"
  middle "${times[@]}"
}

# The median of the numbers given, to three decimals.
middle() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f\n", m}'
}

# Seconds one run of a command takes, OUT emptied (untimed) first.
time_once() {
  local out=$1; shift
  discard "$out"; sync
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# Prints the medians of N runs each of cp -r and ours (seconds, "CP OURS"), after one untimed warm-up of each. They run
# in turns, so that the machine's drift over minutes falls on both alike, and in alternating order (cp first, then ours
# first), so that neither always runs right after the other.
median_cp_and_ours() {
  local n=$1 out=$2 dir=$3
  local -a cp_cmd=(cp -r "$dir" "$out") ours_cmd=("$ours" deid "$dir" "$out" --key-file "$work/project.key" --option retain-modified-dates)
  discard "$out"; "${cp_cmd[@]}" >/dev/null 2>&1 || true
  discard "$out"; "${ours_cmd[@]}" >/dev/null 2>&1 || true
  local cp_times=() our_times=() i
  for i in $(seq "$n"); do
    if [ $((i % 2)) = 1 ]; then
      cp_times+=("$(time_once "$out" "${cp_cmd[@]}")")
      our_times+=("$(time_once "$out" "${ours_cmd[@]}")")
    else
      our_times+=("$(time_once "$out" "${ours_cmd[@]}")")
      cp_times+=("$(time_once "$out" "${cp_cmd[@]}")")
    fi
  done
  discard "$out"
  echo "$(middle "${cp_times[@]}") $(middle "${our_times[@]}")"
}

peak_rss_mb() {
  local out=$1; shift
  discard "$out"
  local rss
  rss=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}')
  discard "$out"
  echo "$rss"
}

out="$outputs/out"
declare -A ratio
printf '%-8s %8s %8s %9s %9s %8s %10s\n' corpus cp ours gdcmanon pydicom ratio "rss(MB)"
for corpus in $corpora; do
  dir="$cache/corpus/$corpus"
  read -r t_cp t_ours < <(median_cp_and_ours "$runs" "$out" "$dir")
  if [ "${SKIP_GDCMANON:-0}" = 1 ]; then t_gdcm=skipped; else
    t_gdcm=$(median "$peer_runs" "$out" gdcmanon -e -r --continue -k "$work/gdcm-key.pem" -c "$work/gdcm-cert.pem" -i "$dir" -o "$out")
  fi
  if [ "${SKIP_PYDICOM:-0}" = 1 ] || [[ " ${PYDICOM_CORPORA:-$corpora} " != *" $corpus "* ]]; then t_py=skipped; else
    t_py=$(median "$peer_runs" "$out" "$python" "$pydeid" "$dir" "$out")
  fi
  rss=$(peak_rss_mb "$out" "$ours" deid "$dir" "$out" --key-file "$work/project.key" --option retain-modified-dates)
  ratio[$corpus]=$(echo "$t_ours / $t_cp" | bc -l | awk '{printf "%.2f", $1}')
  printf '%-8s %8s %8s %9s %9s %8s %10s\n' "$corpus" "$t_cp" "$t_ours" "$t_gdcm" "$t_py" "${ratio[$corpus]}" "$rss"
done
echo "deid ratio vs cp: ct=${ratio[ct]:-n/a} small=${ratio[small]:-n/a} mr-enh=${ratio[mr-enh]:-n/a}"
