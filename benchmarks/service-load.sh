#!/usr/bin/env bash
# The dataset service under load on PostgreSQL (issue 17): 1,000 datasets and 100,000 studies seeded through the API,
# GET /api/datasets with a search string and a sort from concurrent clients on loopback (bounded in requests and time),
# then dataset creation of 1,000 studies x 3 series against DatasetHasher alone over the same files.
# Uses the PostgreSQL named by IMAGINGREPO_POSTGRES, or starts one with scripts/services/postgres.sh and stops it after;
# the service runs in the benchmark's process for the length of the run, in a schema of its own that is dropped after.
# Extra arguments go to the scenario: --concurrency N (8), --requests N (20000), --seconds N (30), --datasets N (1000),
# --studies-per-dataset N (100), --instances-per-series N (2), --rounds N (3), --no-creation.
# Last line: service: rps=N p50=Xms p99=Yms create_ratio=R (postgres)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/benchmarks/ImagingRepo.Benchmarks"

dotnet build "$project" -c Release -nologo -v q >&2
dll="$project/bin/Release/net10.0/ImagingRepo.Benchmarks.dll"
exec dotnet "$dll" service "$@"
