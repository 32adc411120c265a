#!/usr/bin/env bash
# Builds and runs every test. (The server harness is being added: see scripts/services/.)
set -euo pipefail
cd "$(dirname "$0")"
dotnet test ImagingRepo.sln -c Release
