#!/usr/bin/env bash
# Whole-process timing of `imagingrepo dump` against dcmdump, gdcmdump and pydicom on synthetic corpora.
#
#   benchmarks/peers/dicom-dump.sh            # all corpora, median of 5 runs each
#   RUNS=3 CORPORA="ct small" benchmarks/peers/dicom-dump.sh
#
# The corpora (ct: 2,000 CT slices; mr-enh: 5 enhanced MR files of 300 frames; small: 20,000 Basic Text SR files)
# are written once by our own writer (`ImagingRepo.Benchmarks dicom-corpus`) and cached under .cache/dicom-bench.
# Every tool reads each corpus once untimed (warm page cache), then RUNS times with output to /dev/null.
# The last line is: dump ratio vs gdcmdump: ct=X small=Y mr-enh=Z   (our median / gdcmdump's median)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${DICOM_BENCH_CACHE:-$root/.cache/dicom-bench}
runs=${RUNS:-5}
peer_runs=${PEER_RUNS:-$runs}
corpora=${CORPORA:-"ct small mr-enh"}
python=${PYTHON:-/usr/bin/python3}
cd "$root"

source "$root/benchmarks/peers/common.sh"
ours=$(publish_cli "$cache/publish")
ensure_corpora

pydump="$cache/pydicom-dump.py"
cat > "$pydump" <<'PY'
import os, sys
import pydicom
count = 0
for top in sys.argv[1:]:
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            if name.startswith('.'):
                continue
            ds = pydicom.dcmread(os.path.join(folder, name), defer_size="64 KB")
            sys.stdout.write(str(ds))
            count += 1
sys.stdout.write(f"dumped {count} files\n")
PY

# Prints the median wall time (seconds) of N runs of a command, after one untimed warm-up run.
median() {
  local n=$1; shift
  "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in $(seq "$n"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f\n", m}'
}

peak_rss_mb() {
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'
}

declare -A ratio
printf '%-8s %10s %10s %10s %10s %10s\n' corpus ours gdcmdump dcmdump pydicom ratio
for corpus in $corpora; do
  dir="$cache/corpus/$corpus"
  t_ours=$(median "$runs" "$ours" dump "$dir")
  t_gdcm=$(median "$runs" gdcmdump -r -i "$dir")
  t_dcm=$(median "$peer_runs" dcmdump +sd +r -q "$dir")
  if [ "${SKIP_PYDICOM:-0}" = 1 ]; then t_py=skipped; else t_py=$(median "$peer_runs" "$python" "$pydump" "$dir"); fi
  ratio[$corpus]=$(echo "$t_ours / $t_gdcm" | bc -l | awk '{printf "%.2f", $1}')
  printf '%-8s %10s %10s %10s %10s %10s\n' "$corpus" "$t_ours" "$t_gdcm" "$t_dcm" "$t_py" "${ratio[$corpus]}"
  if [ "$corpus" = mr-enh ]; then
    echo "peak RSS on mr-enh: ours $(peak_rss_mb "$ours" dump "$dir") MB, gdcmdump $(peak_rss_mb gdcmdump -r -i "$dir") MB"
  fi
done
echo "dump ratio vs gdcmdump: ct=${ratio[ct]:-n/a} small=${ratio[small]:-n/a} mr-enh=${ratio[mr-enh]:-n/a}"
