#!/usr/bin/env bash
# Whole-process timing of `imagingrepo deid` and `imagingrepo dump` as built from an earlier commit (before) and from
# the working tree (after), side by side in one run, on the synthetic corpora of benchmarks/peers/dicom-dump.sh.
#
#   benchmarks/peers/before-after.sh BASE          # BASE: a commit, tag or branch; median of 5 runs each
#   RUNS=3 CORPORA="ct small" benchmarks/peers/before-after.sh HEAD~10
#
# Both CLIs are published as users run them (scripts/publish-cli.sh): BASE from a detached git worktree under
# .cache/before-after, the working tree as it is. Each tool reads each corpus once untimed first (warm cache); then
# before and after run in turns, in alternating order, so that the machine's drift over minutes falls on both alike.
# deid writes into a fresh, empty output folder every run (on /dev/shm when it is there, as deid.sh does); dump writes
# to /dev/null. Ours is run with the same key and options as in deid.sh.
# MEASURE=instructions counts instructions instead (valgrind --tool=callgrind, one run each, deid with --parallelism 1)
# on the first SUBSET files of each corpus (default 1000; SUBSET_MR_ENH for mr-enh, default 1): repeatable to a few parts in a million whatever else the
# machine is doing, where wall times on a shared 2-core machine drift by 10% between runs.
# The last line is: before/after (after / before): deid ct=X small=Y mr-enh=Z dump ct=X small=Y mr-enh=Z
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BASE   (a commit, tag or branch to compare the working tree with)" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${DICOM_BENCH_CACHE:-$root/.cache/dicom-bench}
work=$root/.cache/before-after
runs=${RUNS:-5}
corpora=${CORPORA:-"ct small mr-enh"}
cd "$root"
base=$(git rev-parse --verify "$1^{commit}")
mkdir -p "$work"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then outputs=/dev/shm/imagingrepo-before-after; else outputs=$work/out; fi
mkdir -p "$outputs"
trap 'rm -rf "$outputs"' EXIT

source "$root/benchmarks/peers/common.sh"
if [ "$(cat "$work/base.commit" 2>/dev/null)" != "$base" ]; then
  rm -rf "$work/base-publish"
  git worktree remove --force "$work/base-src" >/dev/null 2>&1 || rm -rf "$work/base-src"
  git worktree prune
  git worktree add --detach "$work/base-src" "$base" >&2
  echo "publishing the CLI of $base (before) ..." >&2
  "$work/base-src/scripts/publish-cli.sh" "$work/base-publish" >&2
  echo "$base" > "$work/base.commit"
fi
before=$work/base-publish/imagingrepo
after=$(publish_cli "$work/publish")
ensure_corpora
[ -f "$work/project.key" ] || head -c 32 /dev/urandom | base64 > "$work/project.key"

middle() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f\n", m}'
}

# Seconds one run of a command takes; the output folder is removed (untimed) first.
time_once() {
  rm -rf "$outputs/out" "$outputs/out-quarantine"; sync
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# "BEFORE AFTER": medians of N runs each of the same command line run by the before and the after CLI, in turns.
median_pair() {
  local n=$1; shift
  "$before" "$@" >/dev/null 2>&1 || true
  "$after" "$@" >/dev/null 2>&1 || true
  local b=() a=() i
  for i in $(seq "$n"); do
    if [ $((i % 2)) = 1 ]; then
      b+=("$(time_once "$before" "$@")"); a+=("$(time_once "$after" "$@")")
    else
      a+=("$(time_once "$after" "$@")"); b+=("$(time_once "$before" "$@")")
    fi
  done
  rm -rf "$outputs/out" "$outputs/out-quarantine"
  echo "$(middle "${b[@]}") $(middle "${a[@]}")"
}

# "BEFORE AFTER": instructions one run each of the same command line takes under callgrind. The binaries run from copies
# without their .dbg files beside them, which valgrind 3.19 cannot read (compressed sections).
instructions_pair() {
  local tool counts=()
  for tool in "$before" "$after"; do
    local copy="$work/valgrind-$([ "$tool" = "$before" ] && echo before || echo after)"
    mkdir -p "$copy"; cp "$tool" "$copy/imagingrepo"
    rm -rf "$outputs/out" "$outputs/out-quarantine"
    counts+=("$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$copy/imagingrepo" "$@" 2>&1 >/dev/null \
      | awk '/Collected/ {print $4}')")
  done
  rm -rf "$outputs/out" "$outputs/out-quarantine"
  echo "${counts[0]} ${counts[1]}"
}

# The first N files of a corpus (in path order), copied once.
subset_of() {
  local corpus=$1 n=$2 target="$work/subset-$2/$1"
  if [ ! -f "$target.complete" ]; then
    rm -rf "$target"; mkdir -p "$target"
    (cd "$cache/corpus/$corpus" && find . -type f | sort | head -n "$n" | while IFS= read -r f; do
      mkdir -p "$target/$(dirname "$f")"; cp "$f" "$target/$f"; done)
    touch "$target.complete"
  fi
  echo "$target"
}

declare -A deid dump
if [ "${MEASURE:-time}" = instructions ]; then
  command -v valgrind >/dev/null || { echo "before-after.sh: MEASURE=instructions needs valgrind" >&2; exit 2; }
  printf '%-8s %-5s %14s %14s %7s\n' corpus tool before after ratio
  for corpus in $corpora; do
    n=${SUBSET:-1000}; [ "$corpus" = mr-enh ] && n=${SUBSET_MR_ENH:-1} # one file of 300 frames is 1.5 G instructions
    dir=$(subset_of "$corpus" "$n")
    read -r n_before n_after < <(instructions_pair deid "$dir" "$outputs/out" --key-file "$work/project.key" --option retain-modified-dates --parallelism 1)
    deid[$corpus]=$(echo "$n_after / $n_before" | bc -l | awk '{printf "%.3f", $1}')
    printf '%-8s %-5s %14s %14s %7s\n' "$corpus" deid "$n_before" "$n_after" "${deid[$corpus]}"
    read -r n_before n_after < <(instructions_pair dump "$dir")
    dump[$corpus]=$(echo "$n_after / $n_before" | bc -l | awk '{printf "%.3f", $1}')
    printf '%-8s %-5s %14s %14s %7s\n' "$corpus" dump "$n_before" "$n_after" "${dump[$corpus]}"
  done
  echo "before/after (after / before, instructions): deid ct=${deid[ct]:-n/a} small=${deid[small]:-n/a} mr-enh=${deid[mr-enh]:-n/a}" \
    "dump ct=${dump[ct]:-n/a} small=${dump[small]:-n/a} mr-enh=${dump[mr-enh]:-n/a}"
  exit 0
fi

printf '%-8s %-5s %9s %9s %7s\n' corpus tool before after ratio
for corpus in $corpora; do
  dir="$cache/corpus/$corpus"
  read -r t_before t_after < <(median_pair "$runs" deid "$dir" "$outputs/out" --key-file "$work/project.key" --option retain-modified-dates)
  deid[$corpus]=$(echo "$t_after / $t_before" | bc -l | awk '{printf "%.2f", $1}')
  printf '%-8s %-5s %9s %9s %7s\n' "$corpus" deid "$t_before" "$t_after" "${deid[$corpus]}"
  read -r t_before t_after < <(median_pair "$runs" dump "$dir")
  dump[$corpus]=$(echo "$t_after / $t_before" | bc -l | awk '{printf "%.2f", $1}')
  printf '%-8s %-5s %9s %9s %7s\n' "$corpus" dump "$t_before" "$t_after" "${dump[$corpus]}"
done
echo "before/after (after / before): deid ct=${deid[ct]:-n/a} small=${deid[small]:-n/a} mr-enh=${deid[mr-enh]:-n/a}" \
  "dump ct=${dump[ct]:-n/a} small=${dump[small]:-n/a} mr-enh=${dump[mr-enh]:-n/a}"
