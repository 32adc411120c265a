#!/usr/bin/env bash
# Publishes imagingrepo for this machine into OUT:
#   OUT/imagingrepo           the native front: deid and dump compiled ahead of time (no JIT, fast start)
#   OUT/managed/imagingrepo   the full tool (framework-dependent, ReadyToRun), which the front runs for every other
#                             command
# Run OUT/imagingrepo as you would the dotnet tool. Native AOT needs a C toolchain (clang, or clang-NN) and zlib.
#
#   scripts/publish-cli.sh OUT            # both
#   MANAGED_ONLY=1 scripts/publish-cli.sh OUT   # the full tool alone in OUT (no C toolchain needed)
#   ImagingRepoGpu=true scripts/publish-cli.sh OUT   # keep ONNX Runtime's CUDA provider (271 MB), left out by default
#                                                  # (src/Directory.Build.targets); MSBuild reads it from the environment
#
# OUT inside the repository: out/ is git-ignored (scripts/publish-cli.sh out/cli, as README.md shows).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)

if [ -n "${MANAGED_ONLY:-}" ]; then
  dotnet publish "$root/src/ImagingRepo.Cli" -c Release -o "$out" -v quiet -nologo
  exit 0
fi

linker=()
if ! command -v clang >/dev/null 2>&1; then
  # distributions name versioned compilers clang-NN; take the newest
  versioned=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)
  if [ -z "$versioned" ]; then
    echo "publish-cli: native AOT needs clang (apt install clang zlib1g-dev), or MANAGED_ONLY=1 for the full tool alone" >&2
    exit 2
  fi
  linker=(-p:CppCompilerAndLinker="$versioned")
fi

dotnet publish "$root/src/ImagingRepo.Cli" -c Release -o "$out/managed" -v quiet -nologo
dotnet publish "$root/src/ImagingRepo.Cli.Native" -c Release -o "$out" -v quiet -nologo "${linker[@]}"
