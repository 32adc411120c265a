#!/usr/bin/env bash
# Provider upload throughput: the ct corpus of the peer benchmarks (2,000 CT slices, about 1 GB) uploaded to a local
# Ceph RADOS Gateway, side by side in one run:
#   ours             de-identified inside the pipeline by the library's DeidentifyingUploader: DeidentificationRun in
#                    batches of 200 files, the next batch de-identified while the last one uploads with
#                    DataLakeFolderUploader (SHA-256 of every object in its metadata);
#   transferutility  AWSSDK's TransferUtility.UploadDirectoryAsync of the same tree, raw, without de-identification.
# Both send 8 requests at a time, each side runs in its own process under GNU time (peak RSS), the sides alternate
# (so that the machine's drift falls on both) and the medians of RUNS runs are compared.
#
#   benchmarks/upload.sh                  # 3 runs per side
#   RUNS=5 benchmarks/upload.sh
#   DICOM_BENCH_CACHE=/path/to/.cache/dicom-bench   # reuse a ct corpus generated elsewhere
#   UPLOAD_STAGING=DIR                    # where de-identified batches wait for upload (default: /dev/shm)
#
# The gateway: the one named by IMAGINGREPO_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY when set, otherwise one started
# here with scripts/services/ceph.sh (and stopped at the end). Each run writes to a fresh bucket, deleted afterwards.
# The last line is: upload: MB/s=N vs transferutility=M ratio=R   (MB = 10^6 bytes of the corpus; R = N / M)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${DICOM_BENCH_CACHE:-$root/.cache/dicom-bench}
runs=${RUNS:-3}
corpora=ct
cd "$root"
[ -x /usr/bin/time ] || { echo "upload.sh: /usr/bin/time is missing (apt install time)" >&2; exit 2; }
source "$root/benchmarks/peers/common.sh"

started_ceph=
if [ -z "${IMAGINGREPO_S3_ENDPOINT:-}" ]; then
  echo "starting Ceph RGW (scripts/services/ceph.sh) ..." >&2
  eval "$("$root/scripts/services/ceph.sh" start)"
  started_ceph=1
fi

staging_root=${UPLOAD_STAGING:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
staging="$staging_root/imagingrepo-upload-bench-$$"
work=$(mktemp -d)
cleanup() {
  rm -rf "$work" "$staging"
  if [ -n "$started_ceph" ]; then "$root/scripts/services/ceph.sh" stop >&2 || true; fi
}
trap cleanup EXIT

ensure_corpora
corpus="$cache/corpus/ct"
echo "building the benchmarks ..." >&2
dotnet build "$root/benchmarks/ImagingRepo.Benchmarks" -c Release -nologo -v q >&2
bench=(dotnet "$root/benchmarks/ImagingRepo.Benchmarks/bin/Release/net10.0/ImagingRepo.Benchmarks.dll" upload)

# Reads the corpus once untimed (warm page cache for both sides).
cat "$(find "$corpus" -type f | head -1)" >/dev/null
find "$corpus" -type f -exec cat {} + >/dev/null

# One side: prints "seconds rss_kib bytes".
run_side() {
  local side=$1 bucket="imagingrepo-upload-bench-$1-$$-$2" out="$work/$1-$2.out" rss="$work/$1-$2.rss"
  /usr/bin/time -f %M -o "$rss" "${bench[@]}" "$side" "$corpus" "$bucket" "$staging" >"$out"
  delete_bucket "$bucket"
  local line; line=$(tail -1 "$out")
  local seconds=${line#seconds=}; seconds=${seconds%% *}
  local bytes=${line#*bytes=}; bytes=${bytes%% *}
  echo "$seconds $(cat "$rss") $bytes"
}

delete_bucket() { "${bench[@]}" delete "$1" >&2; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/ours"; : >"$work/peer"
for i in $(seq 1 "$runs"); do
  read -r s rss bytes < <(run_side ours "$i")
  echo "run $i ours:            ${s} s, peak RSS $((rss / 1024)) MiB" >&2
  echo "$s $rss $bytes" >>"$work/ours"
  read -r s rss bytes < <(run_side transferutility "$i")
  echo "run $i transferutility: ${s} s, peak RSS $((rss / 1024)) MiB" >&2
  echo "$s $rss $bytes" >>"$work/peer"
done

bytes=$(awk 'NR == 1 { print $3 }' "$work/ours")
ours_s=$(cut -d' ' -f1 "$work/ours" | median)
peer_s=$(cut -d' ' -f1 "$work/peer" | median)
ours_rss=$(cut -d' ' -f2 "$work/ours" | sort -n | tail -1)
peer_rss=$(cut -d' ' -f2 "$work/peer" | sort -n | tail -1)
echo "corpus: $(find "$corpus" -type f | wc -l) files, $bytes bytes; medians of $runs runs: ours ${ours_s} s, transferutility ${peer_s} s" >&2
echo "peak RSS: ours $((ours_rss / 1024)) MiB, transferutility $((peer_rss / 1024)) MiB" >&2
awk -v b="$bytes" -v o="$ours_s" -v p="$peer_s" 'BEGIN {
  ours = b / 1e6 / o; peer = b / 1e6 / p
  printf "upload: MB/s=%.1f vs transferutility=%.1f ratio=%.2f\n", ours, peer, ours / peer }'
